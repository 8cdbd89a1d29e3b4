# Makevars for `make sanitize`: AddressSanitizer + UBSan build of src/.
CFLAGS = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS = -fsanitize=address,undefined
