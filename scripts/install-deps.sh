#!/usr/bin/env bash
# Installs every Debian (bookworm) package dramaloc builds, tests and benchmarks with.
# Idempotent: packages already present are left alone. Nothing is downloaded from
# anywhere but the distribution's own package archive.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: not root and no sudo; run as root or install sudo" >&2; exit 1
  fi
fi

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang libclang-rt-14-dev
  # media: FFmpeg libraries (in-process) and the ffmpeg/ffprobe CLI used as an independent check in tests and bench
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev ffmpeg
  # subtitles: Unicode, rendering
  libicu-dev libexpat1-dev libass-dev libfreetype-dev libharfbuzz-dev libfribidi-dev libfontconfig-dev fonts-noto-core fonts-noto-cjk fonts-dejavu-core
  # every CJK font family Debian ships, for burned-in subtitles in the looks real dramas use
  # (dramaloc sample make --font, the tests and bench/): Noto Sans/Serif CJK in all weights,
  # WenQuanYi Zen Hei and Micro Hei, AR PL UMing and UKai
  fonts-noto-cjk-extra fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming fonts-arphic-ukai
  # photographs to film moving backgrounds from (tests and bench/ of burned-in subtitles)
  mate-backgrounds
  # core
  libxxhash-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  # speech synthesis (sample generator, dubbing)
  libespeak-ng-dev espeak-ng-data
  # speech recognition, voice activity, translation, time-stretch, loudness (the embedded engines)
  libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us libspeexdsp-dev
  apertium apertium-en-es apertium-fr-es apertium-es-pt apertium-es-it apertium-es-ro apertium-es-ca apertium-es-gl
  librubberband-dev libebur128-dev
  # burned-in subtitles: OCR (tesseract + Chinese and English models), removal (OpenCV inpainting;
  # only the three modules used, not libopencv-dev, which pulls in ~140 packages including Qt and GDAL)
  libtesseract-dev libleptonica-dev tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng
  libopencv-core-dev libopencv-imgproc-dev libopencv-photo-dev
  # production engines: HTTP client (libcurl); `dramaloc serve`'s HTTP server (Boost.Beast on
  # Asio, header-only); the tests' local OpenAI-compatible server and HTTP client (cpp-httplib);
  # tokens hashed with SHA-256 (OpenSSL)
  libcurl4-openssl-dev libboost1.81-dev libcpp-httplib-dev libssl-dev
  # the factory's job store: SQLite on one machine, PostgreSQL (libpqxx) for many; the tests
  # start a throwaway PostgreSQL cluster with initdb
  libsqlite3-dev libpqxx-dev postgresql
  # content review: policy packs' patterns, matched as one set (RE2)
  libre2-dev
  # tests and measurement
  libgtest-dev libgmock-dev libbenchmark-dev sox time
  # bench/factory_bench.sh: how often a job opens the episode file
  strace
  # browser tests of the review page (tests/web): Debian's Chromium, driven by playwright-core,
  # which downloads no browser of its own
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js and npm for the tests' npm packages, from Debian when the machine has none.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  for p in nodejs npm; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
else
  echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages the tests use (versions fixed by each package-lock.json): the object store
# tests' S3-protocol server (s3rver); the review station's browser tests (playwright-core) and
# OpenAPI check (tests/web); the validating proxy the API contract test sends its requests
# through (Stoplight Prism, tests/prism); the subtitle parsers the delivery tests judge
# delivered TTML and WebVTT with (imsc and webvtt-parser, tests/subjudge).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for dir in "$ROOT/tests/s3server" "$ROOT/tests/web" "$ROOT/tests/prism" "$ROOT/tests/subjudge"; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
echo "install-deps: done"
