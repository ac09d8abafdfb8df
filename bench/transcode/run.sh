#!/bin/sh
# bench/transcode: the same 720p30 -> 360p30 libx264 veryfast (zerolatency) transcode by the
# server's transcoder path and by the ffmpeg CLI, in one run. Prints fps, CPU and the fps ratio.
# Usage: bench/transcode/run.sh [seconds]   (from the package root; default 20 s of input)
# The server's side runs in the debug test build (`swift build --build-tests`), or with
# BUILD=release in a release one (`swift build -c release --build-tests -Xswiftc -enable-testing`).
set -eu
SECONDS_IN=${1:-20}
RELEASE_FLAGS=""
if [ "${BUILD:-debug}" = release ]; then RELEASE_FLAGS="-c release -Xswiftc -enable-testing"; fi
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
IN="$DIR/in720p30.mp4"
ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=1280x720:rate=30" -t "$SECONDS_IN" \
  -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p "$IN"

# ffmpeg CLI: decode, fps+scale filter, libx264 veryfast zerolatency at 800 kbps, no output file.
/usr/bin/time -f "%e %U %S" -o "$DIR/ffmpeg.time" ffmpeg -hide_banner -loglevel error -nostdin -i "$IN" \
  -vf "fps=30,scale=640:360,format=yuv420p" -c:v libx264 -preset veryfast -tune zerolatency -b:v 800k -g 60 \
  -f null -
read -r FF_WALL FF_USER FF_SYS < "$DIR/ffmpeg.time"
FRAMES=$((SECONDS_IN * 30))

# The server's path (VideoTranscoding inside the test binary; build once beforehand).
SWITCHBOARD_BENCH_INPUT="$IN" SWITCHBOARD_BENCH_OUTPUT="$DIR/sb.txt" \
  swift test $RELEASE_FLAGS --skip-build --filter TranscodeBench >/dev/null 2>&1 || true
SB=$(cat "$DIR/sb.txt")
echo "ffmpeg      frames=$FRAMES wall=$FF_WALL fps=$(echo "$FRAMES / $FF_WALL" | bc -l | cut -c1-6) cpu=$(echo "$FF_USER + $FF_SYS" | bc)"
echo "$SB"
SB_FPS=$(echo "$SB" | sed 's/.*fps=\([0-9.]*\).*/\1/')
echo "fps ratio (switchboard / ffmpeg): $(echo "$SB_FPS / ($FRAMES / $FF_WALL)" | bc -l | cut -c1-5)"
