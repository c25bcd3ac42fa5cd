#!/usr/bin/env bash
# Renders the demo dossier's dialogue packs and photographs them with headless
# Chromium, to review the HTML template (templates/pack.html) by eye:
#
#   public.png, reviewers.png, secretariat.png   one per audience (English)
#   reviewers-ar.png, reviewers-fr.png           Arabic (right to left) and French
#   reviewers.pdf                                the reviewers pack printed (print stylesheet)
#   detail-*.png                                 close-ups (cover, summary, a question with a
#                                                highlighted quote, points, annex; Arabic
#                                                too), taken only when python3 is available
#   *.html                                       the packs photographed
#
# The PNGs are the top HEIGHT pixels of each page (the packs are far longer than any
# screenshot could usefully show); the close-ups cover the rest.
#
# Usage:  scripts/screenshots.sh [OUTPUT_DIR]        (default: target/screenshots)
# Environment:
#   SAQ        the saq binary (default: `cargo build`, then target/debug/saq)
#   TEMPLATES  a templates folder to render with (`saq pack --templates`); default: the
#              templates built into the binary
#   DOSSIER    the dossier (default: examples/arcadia)
#   HEIGHT     window height of the page screenshots (default: 4000)
#   CHROMIUM   the browser (default: the first of chromium, chromium-browser,
#              google-chrome on PATH)
#
# It installs nothing: without Chromium it prints the command that installs it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target/screenshots}"
dossier="${DOSSIER:-$root/examples/arcadia}"
height="${HEIGHT:-4000}"

browser="${CHROMIUM:-}"
if [[ -z "$browser" ]]; then
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
      browser="$candidate"
      break
    fi
  done
fi
if [[ -z "$browser" ]]; then
  echo "Chromium is not installed. Install it with:" >&2
  echo "    sudo apt-get install -y chromium" >&2
  exit 2
fi

if [[ -z "${SAQ:-}" ]]; then
  (cd "$root" && cargo build --quiet)
  SAQ="$root/target/debug/saq"
fi
template_args=()
if [[ -n "${TEMPLATES:-}" ]]; then
  template_args=(--templates "$TEMPLATES")
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private, throw-away profile; nothing is fetched (the pack must render offline).
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --no-default-browser-check
  --disable-extensions --hide-scrollbars)

chrome() {
  "$browser" "${flags[@]}" --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" "$@" \
    >/dev/null 2>&1
}

pack() { # name audience lang
  "$SAQ" pack "$dossier" --audience "$2" --lang "$3" --format html \
    "${template_args[@]}" -o "$out/$1.html" 2>/dev/null
}

shoot() { # name
  chrome --window-size="1280,$height" --screenshot="$out/$1.png" "file://$out/$1.html"
  echo "$out/$1.png"
}

pack public public en
pack reviewers reviewers en
pack secretariat secretariat en
pack reviewers-ar reviewers ar
pack reviewers-fr reviewers fr
for name in public reviewers secretariat reviewers-ar reviewers-fr; do
  shoot "$name"
done

chrome --no-pdf-header-footer --print-to-pdf="$out/reviewers.pdf" "file://$out/reviewers.html"
echo "$out/reviewers.pdf"

# Close-ups of given elements, through the DevTools protocol on a pipe (Chromium's
# --screenshot cannot scroll to a fragment). Each shot: FILE|CSS-SELECTOR|HEIGHT;
# an empty selector is the top of the page, an empty height the element's own.
if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 not found: no close-ups" >&2
  exit 0
fi
closeups() { # html shot...
  python3 - "$browser" "$work" "$@" <<'PY'
import base64, json, os, subprocess, sys, tempfile, time

browser, work, url, *shots = sys.argv[1:]
to_chrome, from_us = os.pipe()
to_us, from_chrome = os.pipe()

def wire():
    # Chromium reads commands on fd 3 and writes replies on fd 4.
    a, b = os.dup(to_chrome), os.dup(from_chrome)
    os.dup2(a, 3)
    os.dup2(b, 4)

proc = subprocess.Popen(
    [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
     "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
     "--user-data-dir=" + tempfile.mkdtemp(dir=work), "--remote-debugging-pipe", "about:blank"],
    preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome)
os.close(from_chrome)
buffer = b""
counter = 0

def call(method, params=None, session=None):
    global buffer, counter
    counter += 1
    message = {"id": counter, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(from_us, json.dumps(message).encode() + b"\0")
    while True:
        while b"\0" not in buffer:
            chunk = os.read(to_us, 1 << 20)
            if not chunk:
                sys.exit("chromium closed the pipe")
            buffer += chunk
        raw, buffer = buffer.split(b"\0", 1)
        reply = json.loads(raw)
        if reply.get("id") == counter:
            if "error" in reply:
                sys.exit(f"{method}: {reply['error']}")
            return reply["result"]

def evaluate(expression, session):
    result = call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
    return result["result"].get("value")

target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
call("Emulation.setDeviceMetricsOverride",
     {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session)
call("Page.navigate", {"url": url}, session)
for _ in range(200):
    if evaluate("document.readyState", session) == "complete":
        break
    time.sleep(0.05)
for shot in shots:
    path, selector, height = shot.split("|")
    if selector:
        box = evaluate(
            "(() => { const e = document.querySelector(%s); if (!e) return null;"
            " const r = e.getBoundingClientRect(); return [r.top + scrollY, r.height]; })()"
            % json.dumps(selector), session)
        if not box:
            print(f"no element {selector}", file=sys.stderr)
            continue
        top, own = max(0, box[0] - 16), box[1] + 32
    else:
        top, own = 0, 1400
    clip = {"x": 0, "y": top, "width": 1280, "height": int(height) if height else own, "scale": 1}
    data = call("Page.captureScreenshot",
                {"format": "png", "clip": clip, "captureBeyondViewport": True}, session)["data"]
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))
    print(path)
call("Browser.close")
proc.wait(timeout=30)
PY
}

# A question with contesting comments and a quote marked in the answer.
question="#q-untoc-art5-statistics"
closeups "file://$out/reviewers.html" \
  "$out/detail-cover.png||1400" \
  "$out/detail-contents.png|#contents|1400" \
  "$out/detail-summary.png|#summary|2000" \
  "$out/detail-question.png|$question|" \
  "$out/detail-article-comments.png|.article-comments|" \
  "$out/detail-points.png|#points|1400" \
  "$out/detail-annex.png|#annex|" \
  "$out/detail-footer.png|footer|"
closeups "file://$out/reviewers-ar.html" \
  "$out/detail-ar-cover.png||1400" \
  "$out/detail-ar-summary.png|#summary|1400" \
  "$out/detail-ar-question.png|$question|"
closeups "file://$out/secretariat.html" "$out/detail-secretariat-cover.png||700"
closeups "file://$out/public.html" "$out/detail-public-cover.png||700"
