# Headless Chromium through chromote, for the report's browser test and the
# screenshots. Debian's chromium; as root it needs --no-sandbox. A fresh
# profile directory per session, and no network chatter.
chromium_path <- function() {
  path <- Sys.getenv("CHROMOTE_CHROME")
  if (!nzchar(path)) path <- Sys.which("chromium")
  if (!nzchar(path)) path <- Sys.which("chromium-browser")
  unname(path)
}

chromium_args <- function() {
  c("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", paste0("--user-data-dir=", tempfile("chromium-profile-")))
}

# A chromote session on `file` at the given viewport width; the caller closes it.
open_in_chromium <- function(file, width = 1280, height = 900) {
  browser <- chromote::Chrome$new(path = chromium_path(), args = chromium_args())
  parent <- chromote::Chromote$new(browser = browser)
  session <- chromote::ChromoteSession$new(parent = parent, width = width, height = height)
  loaded <- session$Page$loadEventFired(wait_ = FALSE)
  session$Page$navigate(paste0("file://", normalizePath(file)), wait_ = FALSE)
  session$wait_for(loaded)
  list(session = session, parent = parent)
}

js_value <- function(session, js) {
  res <- session$Runtime$evaluate(js, returnByValue = TRUE, awaitPromise = TRUE)
  if (!is.null(res$exceptionDetails)) stop("JavaScript error: ", res$exceptionDetails$text)
  res$result$value
}

# Elements wider than the viewport (or reaching past its right edge) that
# no scrolling box contains: what would make the page scroll sideways.
js_overflowing <- "(() => {
  const vw = document.documentElement.clientWidth;
  const scrolls = el => { const s = getComputedStyle(el).overflowX;
                          return s === 'auto' || s === 'scroll' || s === 'hidden'; };
  const inside = el => { for (let p = el.parentElement; p; p = p.parentElement)
                           if (scrolls(p)) return true; return false; };
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if ((r.width > vw + 1 || r.right > vw + 1) && !inside(el))
      bad.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.width) + 'px');
  }
  return JSON.stringify({vw: vw, page: document.documentElement.scrollWidth, bad: bad});
})()"

js_images <- "JSON.stringify(Array.from(document.images).map(i =>
  ({alt: i.alt, complete: i.complete, width: i.naturalWidth})))"
