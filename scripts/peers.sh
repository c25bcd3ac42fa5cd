#!/usr/bin/env bash
# saq side by side with what users would otherwise run (issue 6, part 3).
#
#   scripts/peers.sh            install the peers, build, generate the corpora, measure
#
# Runs on a fresh machine: it installs its own tools (pandoc, hyperfine and GNU time
# from Debian; check-jsonschema from PyPI into a local venv; ajv-cli and ajv-formats
# from npm into a local folder, never globally). Everything it writes goes under
# target/peers/ (override with PEERS_DIR): corpora, schemas, hyperfine JSON exports,
# /usr/bin/time reports and results/summary.md, which BENCHMARKS.md quotes.
#
# Knobs: RUNS (hyperfine runs of the quick comparisons, default 10), HEAVY_RUNS (runs
# of the whole-cycle comparisons, default 3), SEED (default 1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${PEERS_DIR:-$ROOT/target/peers}
RUNS=${RUNS:-10}
HEAVY_RUNS=${HEAVY_RUNS:-3}
SEED=${SEED:-1}
R=$W/results
mkdir -p "$W" "$R"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
step() { printf '\n== %s\n' "$*" >&2; }
started=$(date +%s)

# ---------------------------------------------------------------- 1. tools
step "installing peers"
apt_needed=()
command -v pandoc >/dev/null || apt_needed+=(pandoc)
command -v hyperfine >/dev/null || apt_needed+=(hyperfine)
[ -x /usr/bin/time ] || apt_needed+=(time)
if [ ${#apt_needed[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_needed[@]}" >/dev/null
fi
if [ ! -x "$W/venv/bin/check-jsonschema" ]; then
  python3 -m venv "$W/venv"
  "$W/venv/bin/pip" install -q check-jsonschema pyyaml
fi
if [ ! -x "$W/node/node_modules/.bin/ajv" ]; then
  mkdir -p "$W/node"
  (cd "$W/node" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund --silent ajv-cli ajv-formats)
fi
CJS=$W/venv/bin/check-jsonschema
AJV=$W/node/node_modules/.bin/ajv
{
  echo "pandoc: $(pandoc --version | head -1)"
  echo "hyperfine: $(hyperfine --version)"
  echo "check-jsonschema: $($CJS --version)"
  echo "ajv-cli: $(node -p "require('$W/node/node_modules/ajv-cli/package.json').version")"
  echo "ajv-formats: $(node -p "require('$W/node/node_modules/ajv-formats/package.json').version")"
  echo "ajv: $(node -p "require('$W/node/node_modules/ajv/package.json').version")"
  echo "node: $(node --version)"
  echo "python: $("$W/venv/bin/python" --version) PyYAML $("$W/venv/bin/python" -c 'import yaml; print(yaml.__version__, "libyaml" if yaml.__with_libyaml__ else "pure")')"
  echo "rustc: $(rustc --version)"
} > "$R/versions.txt"
cat "$R/versions.txt" >&2

# ---------------------------------------------------------------- 2. build and data
step "building saq and the corpus tools (release)"
(cd "$ROOT" && cargo build --release --quiet -p saq -p saq-corpus)
BIN=$ROOT/target/release
SAQ=$BIN/saq
CYCLE=$BIN/saq-cycle
FLOOR=$BIN/saq-parse-floor

corpus() { # states -> dir
  local dir=$W/corpus-$1-seed$SEED
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$BIN/saq-corpus" --out "$dir" --states "$1" --submissions 20 --seed "$SEED"
    touch "$dir/.complete"
  fi
  echo "$dir"
}
step "generating corpora (seed $SEED)"
C190=$(corpus 190)
C380=$(corpus 380)
FLAT=$W/flat-1000-seed$SEED
if [ ! -f "$FLAT/.complete" ]; then
  rm -rf "$FLAT"
  "$BIN/saq-corpus" --flat-submissions "$FLAT" --count 1000 --submissions 20 --seed "$SEED"
  touch "$FLAT/.complete"
fi

# One schema per questionnaire version the 1,000 files use, and the files grouped by it.
step "schemas and groups"
rm -rf "$W/schemas" "$W/groups" "$W/json"
mkdir -p "$W/schemas" "$W/groups"
for version in $(sed -n 's/^questionnaire: *"\{0,1\}\([a-z_]*@[0-9.]*\)"\{0,1\}$/\1/p' "$FLAT"/*.yaml | sort -u); do
  "$SAQ" schema submission "$version" > "$W/schemas/$version.json"
  grep -l "^questionnaire: \"\{0,1\}$version\"\{0,1\}$" "$FLAT"/*.yaml > "$W/groups/$version.txt"
  # ajv-cli reads YAML with js-yaml 3 (YAML 1.1: dates become Date objects, which a
  # `"type": "string"` schema refuses), so ajv gets JSON converted once, here, with
  # saq's own YAML 1.2 loader, outside any timed region.
  xargs "$BIN/saq-yaml2json" "$W/json/$version" < "$W/groups/$version.txt"
  echo "$version: $(wc -l < "$W/groups/$version.txt") files" >&2
done
{
  echo '#!/usr/bin/env bash'
  echo 'set -e'
  for g in "$W"/groups/*.txt; do
    v=$(basename "$g" .txt)
    echo "xargs '$CJS' --schemafile '$W/schemas/$v.json' < '$g' > /dev/null"
  done
} > "$W/check-jsonschema.sh"
{
  echo '#!/usr/bin/env bash'
  echo 'set -e'
  for g in "$W"/groups/*.txt; do
    v=$(basename "$g" .txt)
    echo "'$AJV' validate -s '$W/schemas/$v.json' -d '$W/json/$v/*.json' --spec=draft2020 -c ajv-formats > /dev/null 2>&1"
  done
} > "$W/ajv.sh"
cat > "$W/cycle-binary.sh" <<EOF
#!/usr/bin/env bash
# The whole cycle through the binary, as a secretariat would run it: one saq pack over
# every dossier, which validates each dossier fully (a dossier with errors gets no
# pack) and writes every reviewers pack into one folder, dossiers in parallel.
set -e
corpus=\$1; out=\$2
mkdir -p "\$out"
'$SAQ' pack "\$corpus"/X?? --audience reviewers --format html -o "\$out/" 2>/dev/null
EOF
cat > "$W/cloader.py" <<'EOF'
import pathlib, sys, yaml
n = 0
for root in sys.argv[1:]:
    for p in sorted(pathlib.Path(root).rglob("*.yaml")):
        with open(p, "rb") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)
        n += 1
print(n, "files", file=sys.stderr)
EOF

# Sanity: every tool agrees the files are valid (hyperfine would also stop on a failure).
step "sanity checks"
"$SAQ" validate "$FLAT"/*.yaml
bash "$W/check-jsonschema.sh"
bash "$W/ajv.sh"
echo "all three validators accept the 1,000 files" >&2

warm() { find "$@" -type f -name '*.yaml' -exec cat {} + > /dev/null; }

# ---------------------------------------------------------------- 3. measurements
echo "load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)" > "$R/load.txt"
# The machine may be shared: sample its load while measuring, to judge the noise.
(while sleep 10; do echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; done) > "$R/load-samples.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT
step "validation: saq vs check-jsonschema vs ajv-cli (1,000 submission files)"
warm "$FLAT"
hyperfine --warmup 1 --runs "$RUNS" --export-json "$R/validate.json" \
  -n "saq validate" "'$SAQ' validate '$FLAT'/*.yaml" \
  -n "check-jsonschema" "bash '$W/check-jsonschema.sh'" \
  -n "ajv-cli" "bash '$W/ajv.sh'"

step "rendering: saq pack --format html vs pandoc (Markdown of the same pack to standalone HTML)"
mkdir -p "$W/out"
"$SAQ" pack "$C190/XAA" --audience reviewers --format md -o "$W/out/XAA.md"
hyperfine --warmup 2 --runs "$RUNS" --export-json "$R/render.json" \
  -n "saq pack html" "'$SAQ' pack '$C190/XAA' --audience reviewers --format html -o '$W/out/XAA.html'" \
  -n "pandoc md->html" "pandoc -s -f markdown -t html --metadata pagetitle=XAA -o '$W/out/XAA-pandoc.html' '$W/out/XAA.md'"

step "parse floor (190 states)"
warm "$C190"
hyperfine --warmup 1 --runs "$RUNS" --export-json "$R/floor.json" \
  -n "saphyr-parser events" "'$FLOOR' --mode events '$C190'" \
  -n "saphyr tree" "'$FLOOR' --mode tree '$C190'" \
  -n "PyYAML CSafeLoader (libyaml)" "'$W/venv/bin/python' '$W/cloader.py' '$C190'" \
  -n "saq loader (source::parse)" "'$FLOOR' --mode saq '$C190'"

step "whole cycle (190 states)"
hyperfine --warmup 1 --runs "$HEAVY_RUNS" --export-json "$R/cycle-190.json" \
  -n "library, 1 thread" "'$CYCLE' '$C190'" \
  -n "library, 2 threads" "'$CYCLE' --threads 2 '$C190'" \
  -n "binary" "bash '$W/cycle-binary.sh' '$C190' '$W/out/bin-190'" \
  -n "saq validate only" "'$SAQ' validate '$C190'/X??"

step "whole cycle (380 states: doubling)"
warm "$C380"
hyperfine --warmup 1 --runs "$HEAVY_RUNS" --export-json "$R/cycle-380.json" \
  -n "library, 1 thread" "'$CYCLE' '$C380'" \
  -n "library, 2 threads" "'$CYCLE' --threads 2 '$C380'" \
  -n "binary" "bash '$W/cycle-binary.sh' '$C380' '$W/out/bin-380'" \
  -n "saphyr-parser events" "'$FLOOR' --mode events '$C380'"

step "peak memory (GNU time -v, Maximum resident set size)"
mem() { # name, command...
  local name=$1; shift
  /usr/bin/time -v -o "$R/time-$name.txt" "$@" > /dev/null 2>&1
  echo "$name: $(grep 'Maximum resident set size' "$R/time-$name.txt")" >&2
}
mem cycle-library-1t "$CYCLE" "$C190"
mem cycle-library-2t "$CYCLE" --threads 2 "$C190"
mem cycle-binary bash "$W/cycle-binary.sh" "$C190" "$W/out/bin-190"
mem saq-validate-190 "$SAQ" validate "$C190"/X??
mem saq-pack-one "$SAQ" pack "$C190/XAA" --audience reviewers --format html -o "$W/out/XAA.html"
mem cycle-library-1t-380 "$CYCLE" "$C380"
mem saq-validate-380 "$SAQ" validate "$C380"/X??

# ---------------------------------------------------------------- 4. summary
step "summary"
{
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "corpus 190: $(find "$C190" -name '*.yaml' | wc -l) files, $(du -sb "$C190" | cut -f1) bytes"
  echo "corpus 380: $(find "$C380" -name '*.yaml' | wc -l) files, $(du -sb "$C380" | cut -f1) bytes"
  echo "flat: $(find "$FLAT" -name '*.yaml' | wc -l) files, $(du -sb "$FLAT" | cut -f1) bytes"
  echo "pack XAA: html $(stat -c %s "$W/out/XAA.html") bytes, md $(stat -c %s "$W/out/XAA.md") bytes"
} > "$R/machine.txt"
python3 - "$R" <<'EOF' | tee "$R/summary.md"
import json, pathlib, re, statistics, sys
R = pathlib.Path(sys.argv[1])
def load(name):
    return {r["command"]: r for r in json.loads((R / f"{name}.json").read_text())["results"]}
def med(r): return r["median"]
def cpu(r): return r["user"] + r["system"]
def fmt(r):
    return (f"median {r['median']:.3f} s (min {r['min']:.3f}, max {r['max']:.3f}, σ {r['stddev'] or 0:.3f}, "
            f"n={len(r['times'])}); CPU user+sys {cpu(r):.3f} s")
def rss(name):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", (R / f"time-{name}.txt").read_text())
    return int(m.group(1)) / 1024
print("# peers.sh results\n")
print("```"); print((R / "machine.txt").read_text().strip()); print((R / "versions.txt").read_text().strip()); print((R / "load.txt").read_text().strip()); print("```\n")
rows = []
for name in ["validate", "render", "floor", "cycle-190", "cycle-380"]:
    print(f"## {name}\n")
    for cmd, r in load(name).items():
        print(f"- {cmd}: {fmt(r)}")
    print()
v, rd, fl, c1, c2 = (load(n) for n in ["validate", "render", "floor", "cycle-190", "cycle-380"])
floor = min(fl.values(), key=med)
floor_name = [k for k, x in fl.items() if x is floor][0]
def target(what, ratio, cpu_ratio, ok, goal):
    rows.append((what, ratio, cpu_ratio, "met" if ok else "NOT met", goal))
def pair(slow, fast, what, goal, ok):
    r = med(slow) / med(fast); c = cpu(slow) / cpu(fast)
    target(what, f"{r:.1f}x", f"{c:.1f}x", ok(r), goal)
pair(v["check-jsonschema"], v["saq validate"], "validation: check-jsonschema time / saq time", ">= 20", lambda r: r >= 20)
pair(v["ajv-cli"], v["saq validate"], "validation: ajv-cli time / saq time", ">= 3", lambda r: r >= 3)
pair(rd["pandoc md->html"], rd["saq pack html"], "rendering: pandoc time / saq pack time", ">= 10", lambda r: r >= 10)
for k in ["library, 1 thread", "library, 2 threads", "binary"]:
    pair(c1[k], floor, f"whole cycle ({k}) / parse floor ({floor_name}, 1 thread)", "<= 3", lambda r: r <= 3)
for k in ["library, 1 thread", "library, 2 threads", "binary"]:
    pair(c2[k], c1[k], f"doubling: 380 states / 190 states ({k})", "<= 2.2", lambda r: r <= 2.2)
for k in ["cycle-library-1t", "cycle-library-2t", "cycle-binary"]:
    m = rss(k); target(f"peak memory ({k})", f"{m:.1f} MB", "", m < 100, "< 100 MB")
print("## targets (wall-clock median ratio; CPU-time ratio beside it)\n")
print("| target | ratio (median wall) | ratio (CPU user+sys) | goal | |"); print("| --- | --- | --- | --- | --- |")
for what, ratio, cpu_ratio, status, goal in rows:
    print(f"| {what} | {ratio} | {cpu_ratio} | {goal} | {status} |")
print("\n## peak memory (Maximum resident set size)\n")
for f in sorted(R.glob("time-*.txt")):
    name = f.stem[5:]
    print(f"- {name}: {rss(name):.1f} MB")
EOF
echo "peers.sh took $(( $(date +%s) - started )) s" | tee -a "$R/summary.md" >&2
