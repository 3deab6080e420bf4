#!/usr/bin/env bash
# Installs the system packages the tests need, when they are missing (run by Maven before the tests):
#   xvfb, xauth                      a virtual display: the ImageJ/Fiji integration tests start real ImageJ windows
#   openbox                          a window manager on it: the dialog tests measure windows with their frames, as users see them
#   python3-torch, python3-torchvision  the ResNet-50 equivalence test compares with torchvision
#   libtorch-dev, cmake, g++, xz-utils  the GPU check kit's test builds DJL's bridge against Debian's libtorch
# Installs only through apt-get as root or with password-less sudo; otherwise it prints what to install
# and the tests that need it fail with the same advice. IMAGINE_PROVISION=false skips this step.
set -u
[ "${IMAGINE_PROVISION:-true}" = "false" ] && exit 0

missing=()
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
command -v xauth >/dev/null 2>&1 || missing+=(xauth)
command -v openbox >/dev/null 2>&1 || missing+=(openbox)
if ! /usr/bin/python3 -c "import torch, torchvision" >/dev/null 2>&1; then
  missing+=(python3-torch python3-torchvision)
fi
[ -f /usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake ] || missing+=(libtorch-dev)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "provision: the tests need ${missing[*]} (Debian packages)"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "provision: no apt-get here; install ${missing[*]} (or your system's equivalents) by hand" >&2
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "provision: not root and no password-less sudo; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}" \
  || echo "provision: apt-get failed; install ${missing[*]} by hand" >&2
exit 0
