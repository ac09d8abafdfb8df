#!/usr/bin/python3
"""A synthetic RTSP camera on GStreamer's gst-rtsp-server, for the RTSP pull tests.

Mounts on rtsp://127.0.0.1:<port>/:
  cam    H.264 (x264 constrained baseline, GOP 2 s) + AAC-LC 48 kHz stereo, 440 Hz
  opus   H.264 + Opus 48 kHz stereo
  pcmu   H.264 + G.711 mu-law 8 kHz mono
  h265   H.265 (x265 main, GOP 2 s) + AAC-LC 48 kHz stereo
Parameter sets go in-band on every keyframe (config-interval=-1), as many cameras do.
Prints "ready" once listening; exits after --duration seconds or on SIGTERM.
Needs Debian's /usr/bin/python3 with python3-gi and gir1.2-gst-rtsp-server-1.0.
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--port", default="8554")
parser.add_argument("--size", default="640x360")
parser.add_argument("--fps", type=int, default=25)
parser.add_argument("--duration", type=int, default=120)
args = parser.parse_args()
width, height = args.size.split("x")

Gst.init(None)
video = (f"videotestsrc is-live=true ! video/x-raw,width={width},height={height},framerate={args.fps}/1,format=I420 "
         f"! x264enc tune=zerolatency speed-preset=veryfast key-int-max={2 * args.fps} bitrate=1000 "
         "! video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=-1")
audio = {
    "cam": "audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample "
           "! audio/x-raw,rate=48000,channels=2 ! voaacenc bitrate=96000 ! rtpmp4gpay name=pay1 pt=97",
    "opus": "audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample "
            "! audio/x-raw,rate=48000,channels=2 ! opusenc ! rtpopuspay name=pay1 pt=111",
    "pcmu": "audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample "
            "! audio/x-raw,rate=8000,channels=1 ! mulawenc ! rtppcmupay name=pay1 pt=0",
}

hevc = (f"videotestsrc is-live=true ! video/x-raw,width={width},height={height},framerate={args.fps}/1,format=I420 "
        f"! x265enc tune=zerolatency speed-preset=ultrafast key-int-max={2 * args.fps} bitrate=1000 "
        "! video/x-h265,profile=main ! rtph265pay name=pay0 pt=96 config-interval=-1")
launches = {mount: f"( {video} {audio_launch} )" for mount, audio_launch in audio.items()}
launches["h265"] = f"( {hevc} {audio['cam']} )"

server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(args.port)
for mount, launch in launches.items():
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    factory.set_protocols(GstRtsp.RTSPLowerTrans.UDP | GstRtsp.RTSPLowerTrans.TCP)
    server.get_mount_points().add_factory("/" + mount, factory)

if server.attach(None) == 0:
    sys.exit("attach failed (port in use?)")
loop = GLib.MainLoop()
for sig in (signal.SIGINT, signal.SIGTERM):
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
GLib.timeout_add_seconds(args.duration, loop.quit)
print("ready", flush=True)
loop.run()
