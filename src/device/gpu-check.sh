#!/usr/bin/env bash
# IMAGINE's GPU check, run from the kit that src/device/build-kit.sh makes (target/gpu-kit/).
#
#   bash target/gpu-kit/gpu-check.sh [OUT]
#       On a GPU machine with a CUDA PyTorch: builds DJL's JNI bridge against that PyTorch (once;
#       kept in the work folder), then doctor, bench, default syntheses at 224 and 1024 on the GPU
#       and one at 224 on the CPU. Numbers in OUT/summary.txt, logs and samples beside it.
#   bash target/gpu-kit/gpu-check.sh --cpu-selftest NATIVE_JAR OUT
#       Here, without a GPU: the kit's own Java runtime runs the command line with DJL's CPU
#       libtorch jar (classify, a tiny synthesis).
#   bash target/gpu-kit/gpu-check.sh --bridge-only OUT
#       Builds the bridge against the PyTorch found (python3's torch, or IMAGINE_KIT_TORCH_CMAKE +
#       IMAGINE_KIT_TORCH_LIB + IMAGINE_KIT_TORCH_VERSION [+ IMAGINE_KIT_TORCH_INCLUDE] for a libtorch
#       without Python) and
#       classifies through it on the CPU: the GPU route's build and load steps, tested anywhere.
#   bash target/gpu-kit/gpu-check.sh --fiji FIJI_DIR [OUT]
#       For a Fiji user with a GPU and a CUDA PyTorch: builds the bridge against that PyTorch, keeps
#       it in ~/.imagine/djl-gpu, and writes FIJI_DIR/ImageJ-imagine-gpu.sh, which starts Fiji with
#       DJL pointed at that PyTorch (environment variables of that Fiji only, nothing JVM-wide).
#
# OUT defaults to $OUT (when the machine's job runner names an output folder) or ./gpu-check-out.
# The whole check stops itself within IMAGINE_KIT_BUDGET_S seconds (default 470, for GPU time
# booked in short slots); a step that would not fit is skipped and says so.
set -uo pipefail
KIT=$(cd "$(dirname "$0")" && pwd)
WORK=${IMAGINE_KIT_WORK:-$(dirname "$KIT")/gpu-work}
START=$(date +%s)
BUDGET=${IMAGINE_KIT_BUDGET_S:-470}
MODE=gpu
NATIVE_JAR=
case "${1:-}" in
  --cpu-selftest) MODE=cpu-selftest; NATIVE_JAR=$(realpath "$2"); shift 2 ;;
  --bridge-only) MODE=bridge-only; shift ;;
  --fiji) MODE=fiji; FIJI_DIR=$(realpath "$2"); shift 2 ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
esac
RESULTS=${1:-${OUT:-$PWD/gpu-check-out}}
mkdir -p "$RESULTS" "$WORK"
RESULTS=$(cd "$RESULTS" && pwd)
SUMMARY=$RESULTS/summary.txt
: > "$SUMMARY"

say() { echo "$*" | tee -a "$SUMMARY"; }
left() { echo $((BUDGET - ($(date +%s) - START))); }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

say "IMAGINE GPU check kit, mode $MODE, $(date -u +%FT%TZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | sed 's/^/gpu: /' | tee -a "$SUMMARY"
fi

# 1. Unpack the runtime and the model once per machine (the work folder survives warm calls).
unpack() {  # archive, marker folder
  local archive=$KIT/$1 stamp
  stamp=$(sha256sum "$archive" | cut -c1-16)
  if [[ ! -f $WORK/.$1.$stamp ]]; then
    rm -rf "${WORK:?}/$2" && tar -C "$WORK" -xJf "$archive" && touch "$WORK/.$1.$stamp"
  fi
}
unpack runtime.tar.xz runtime || { say "FAILED: cannot unpack the Java runtime"; exit 1; }
mkdir -p "$WORK/models"
(cd "$WORK/models" && WORK=$WORK/models unpack models.tar.xz mobilenet_v1_0.75_224) \
  || { say "FAILED: cannot unpack the model"; exit 1; }
JAVA=$WORK/runtime/bin/java
MODELS=$WORK/models
REFERENCE=$KIT/chelsea.png
CLASSPATH="$KIT/app/imagine.jar:$KIT/app/lib/*"

# DJL's cache (libtorch pointers, the bridge) lives in the work folder, private to this user:
# IMAGINE refuses a native-library folder others can write.
export DJL_CACHE_DIR=$WORK/djl-cache
mkdir -p "$DJL_CACHE_DIR" && chmod 700 "$DJL_CACHE_DIR"

imagine() {  # seconds, name, args...: runs the CLI, output in RESULTS/name.log
  local limit=$1 name=$2; shift 2
  local budget; budget=$(left)
  if (( budget < limit / 2 )); then
    say "$name: skipped, ${budget}s of the budget left"
    return 99
  fi
  (( limit > budget )) && limit=$budget
  local t0 rc; t0=$(now)
  timeout --kill-after=10 "$limit" "$JAVA" -Xmx8g ${JAVA_EXTRA:-} -cp "$CLASSPATH" imagine.cli.Main "$@" \
    > "$RESULTS/$name.log" 2>&1
  rc=$?
  LAST_SECONDS=$(secs "$t0" "$(now)")
  say "$name: exit $rc in ${LAST_SECONDS}s"
  (( rc == 124 || rc == 137 )) && say "$name: stopped at its ${limit}s limit"
  if (( rc != 0 )); then  # the one-line reason the command line gives
    grep -m1 "^imagine" "$RESULTS/$name.log" | sed "s/^/  /" | tee -a "$SUMMARY"
  fi
  return $rc
}

if [[ $MODE == cpu-selftest ]]; then
  unset PYTORCH_LIBRARY_PATH PYTORCH_VERSION PYTORCH_FLAVOR  # DJL's own libtorch from the jar, nothing else
  CLASSPATH="$CLASSPATH:$NATIVE_JAR"
  imagine 120 doctor doctor --models-dir "$MODELS"
  imagine 120 classify classify --image "$REFERENCE" --top 3 --models-dir "$MODELS" \
    && sed 's/^/  /' "$RESULTS/classify.log" | tail -3 | tee -a "$SUMMARY"
  imagine 300 synthesize-tiny synthesize --reference "$REFERENCE" --out "$RESULTS/tiny" \
    --models-dir "$MODELS" --size 64 --iterations 20 --samples 1 --device cpu --quiet
  ok=$(ls "$RESULTS"/tiny/*.png 2>/dev/null | wc -l)
  say "samples written: $ok"
  [[ $ok -ge 1 ]] && grep -q "Egyptian cat\|tabby\|tiger cat" "$RESULTS/classify.log" && grep -q "^engine: PyTorch" "$RESULTS/doctor.log" \
    && say "CPU SELF-TEST PASSED" && exit 0
  say "CPU SELF-TEST FAILED"; exit 1
fi

# 2. Which PyTorch: python3's torch, or a libtorch named by hand.
find_torch() {
  local py
  if [[ -n ${IMAGINE_KIT_TORCH_CMAKE:-} ]]; then  # a libtorch named by hand wins over any Python
    TORCH_VERSION=${IMAGINE_KIT_TORCH_VERSION:?set IMAGINE_KIT_TORCH_VERSION too}
    TORCH_FLAVOR=${IMAGINE_KIT_TORCH_FLAVOR:-cpu}
    TORCH_CMAKE=$IMAGINE_KIT_TORCH_CMAKE
    TORCH_LIB=${IMAGINE_KIT_TORCH_LIB:?set IMAGINE_KIT_TORCH_LIB too}
    TORCH_ABI=1; TORCH_CUDA_OK=0; TORCH_GPU=
    return 0
  fi
  for py in ${IMAGINE_KIT_PYTHON:-python3 python}; do
    command -v "$py" >/dev/null || continue
    # shellcheck disable=SC2016
    if "$py" - > "$WORK/torch.env" 2>"$RESULTS/torch-probe.log" <<'PY'
import os, shlex, torch, torch.utils
v = torch.__version__.split('+')[0]
cuda = torch.version.cuda
values = {
    'TORCH_VERSION': v,
    'TORCH_FLAVOR': ('cu' + cuda.replace('.', '')) if cuda else 'cpu',
    'TORCH_CMAKE': torch.utils.cmake_prefix_path,
    'TORCH_LIB': os.path.join(os.path.dirname(torch.__file__), 'lib'),
    'TORCH_ABI': int(torch._C._GLIBCXX_USE_CXX11_ABI),
    'TORCH_CUDA_OK': int(torch.cuda.is_available()),
    'TORCH_GPU': torch.cuda.get_device_name(0) if torch.cuda.is_available() else '',
}
for k, value in values.items():
    print(f"{k}={shlex.quote(str(value))}")
PY
    then
      # shellcheck disable=SC1091
      source "$WORK/torch.env"
      TORCH_PYTHON=$py
      return 0
    fi
  done
  return 1
}
if ! find_torch; then
  say "FAILED: no PyTorch found (python3 -c 'import torch' fails; see torch-probe.log). Set IMAGINE_KIT_PYTHON,"
  say "        or IMAGINE_KIT_TORCH_CMAKE, IMAGINE_KIT_TORCH_LIB and IMAGINE_KIT_TORCH_VERSION for a plain libtorch."
  exit 1
fi
say "pytorch: $TORCH_VERSION $TORCH_FLAVOR, lib $TORCH_LIB, cuda available: $TORCH_CUDA_OK ${TORCH_GPU:-}"

# 3. DJL's JNI bridge, compiled against that PyTorch once and kept: the first way that builds wins.
#    (a) DJL's own CMake build with CUDA, (b) the same without CUDA - the bridge needs CUDA only for
#    emptyCache and a separate inference stream; CUDA kernels come from libtorch_cuda, which DJL
#    loads anyway - (c) one g++ call, for a PyTorch whose CMake files do not configure here.
DJL_VERSION=$(cat "$KIT/djl/VERSION")
BRIDGE=$WORK/bridge/$TORCH_VERSION-$TORCH_FLAVOR-djl$DJL_VERSION-$(uname -m)/libdjl_torch.so
PT_DEFINE=
[[ $TORCH_VERSION =~ ^(1\.13|2\.0|2\.1)\. ]] && PT_DEFINE=V1_13_X
build_bridge() {
  local src=$WORK/bridge-src attempt=$1 cuda=$2 log=$RESULTS/bridge-build-$1.log
  rm -rf "$src" && cp -r "$KIT/djl" "$src"
  local native=$src/engines/pytorch/pytorch-native
  local t0; t0=$(now)
  if [[ $attempt != gxx ]]; then
    (cd "$native/build" && JAVA_HOME=$WORK/runtime cmake -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_PREFIX_PATH="$TORCH_CMAKE" -DPT_VERSION="$PT_DEFINE" -DUSE_CUDA="$cuda" \
        -DJAVA_HOME="$WORK/runtime" .. && timeout "$(left)" cmake --build . -- -j "$(nproc)") > "$log" 2>&1 || return 1
  else
    local defines=("-D_GLIBCXX_USE_CXX11_ABI=$TORCH_ABI")
    [[ -n $PT_DEFINE ]] && defines+=("-D$PT_DEFINE")
    local inc=${IMAGINE_KIT_TORCH_INCLUDE:-$(dirname "$TORCH_LIB")/include}  # pip: torch/include
    [[ -d $inc/torch ]] || inc=/usr/include                                     # Debian's libtorch-dev
    (cd "$native" && ls src/main/native/*.cc | timeout "$(left)" xargs -P "$(nproc)" -I{} sh -c \
        'g++ -O2 -fPIC -std=c++17 "$@" -c {} -o build/$(basename {} .cc).o' _ "${defines[@]}" \
          -I "$inc" -I "$inc/torch/csrc/api/include" -I build/include -I "$src/api/src/main/native" \
          -I "$WORK/runtime/include" -I "$WORK/runtime/include/linux" \
      && g++ -shared -o build/libdjl_torch.so build/*.o -L "$TORCH_LIB" -ltorch -ltorch_cpu -lc10 \
          -Wl,-rpath,'$ORIGIN') > "$log" 2>&1 || return 1
  fi
  mkdir -p "$(dirname "$BRIDGE")" && cp "$native/build/libdjl_torch.so" "$BRIDGE"
  say "bridge: built ($attempt) in $(secs "$t0" "$(now)")s"
}
if [[ -f $BRIDGE ]]; then
  say "bridge: kept from an earlier run ($BRIDGE)"
else
  built=
  for way in ${IMAGINE_KIT_BRIDGE_WAYS:-cmake-cuda cmake gxx}; do
    case $way in
      cmake-cuda) [[ $TORCH_FLAVOR == cu* ]] && build_bridge cmake-cuda 1 && built=1 ;;
      cmake) build_bridge cmake 0 && built=1 ;;
      gxx) build_bridge gxx 0 && built=1 ;;
    esac
    [[ -n $built ]] && break
  done
  if [[ -z $built ]]; then
    say "FAILED: the bridge did not build against PyTorch $TORCH_VERSION; the last lines of each try:"
    for f in "$RESULTS"/bridge-build-*.log; do say "--- $(basename "$f")"; grep -m5 -i "error" "$f" | tee -a "$SUMMARY"; done
    exit 1
  fi
fi

# 4. Point DJL at that PyTorch and at the bridge: DJL looks for the bridge in its cache folder under
#    <version>-<flavor>-<classifier>/<djl version>-libdjl_torch.so (ai.djl.pytorch.jni.LibUtils).
LIB_FOLDER=$TORCH_LIB
LINKS=$WORK/libtorch-links
if [[ $MODE == fiji ]]; then
  cache=${IMAGINE_FIJI_DJL_CACHE:-$HOME/.imagine/djl-gpu}  # outlives the kit's work folder
  LINKS=$cache/libtorch-links
fi
if [[ $(basename "$(dirname "$TORCH_LIB")") != torch ]]; then
  # A system libtorch (/usr/lib/...): DJL loads every library in the folder it is given, so give it
  # one with only libtorch's own; their dependencies resolve through the system's paths.
  LIB_FOLDER=$LINKS
  rm -rf "$LIB_FOLDER" && mkdir -p "$LIB_FOLDER"
  for name in libc10.so libc10_cuda.so libtorch.so libtorch_cpu.so libtorch_cuda.so; do
    [[ -e $TORCH_LIB/$name ]] && ln -s "$TORCH_LIB/$name" "$LIB_FOLDER/$name"
  done
fi
export PYTORCH_LIBRARY_PATH=$LIB_FOLDER PYTORCH_VERSION=$TORCH_VERSION PYTORCH_FLAVOR=$TORCH_FLAVOR
CLASSIFIER=linux-x86_64
[[ $(uname -m) == aarch64 ]] && CLASSIFIER=linux-aarch64  # DJL's platform names
jni_dir=$DJL_CACHE_DIR/pytorch/$TORCH_VERSION-$TORCH_FLAVOR-$CLASSIFIER
mkdir -p "$jni_dir" && cp "$BRIDGE" "$jni_dir/$DJL_VERSION-libdjl_torch.so"
# pip's CUDA libraries (nvidia/*/lib) beside torch, for libtorch_cuda's dependencies.
nvidia_libs=$(ls -d "$(dirname "$(dirname "$TORCH_LIB")")"/nvidia/*/lib 2>/dev/null | paste -sd:)
torch_libs=$TORCH_LIB${nvidia_libs:+:$nvidia_libs}
export LD_LIBRARY_PATH=$torch_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
unset ENGINE_CACHE_DIR  # DJL would look for the bridge there instead of under DJL_CACHE_DIR

if [[ $MODE == fiji ]]; then
  launcher_of_fiji=
  for name in ImageJ-linux64 fiji-linux-x64 fiji; do
    [[ -x $FIJI_DIR/$name ]] && launcher_of_fiji=$FIJI_DIR/$name && break
  done
  [[ -n $launcher_of_fiji ]] || { say "FAILED: no Fiji launcher (ImageJ-linux64, fiji-linux-x64) in $FIJI_DIR"; exit 1; }
  mkdir -p "$cache/pytorch/$TORCH_VERSION-$TORCH_FLAVOR-$CLASSIFIER" && chmod 700 "$cache"
  cp "$BRIDGE" "$cache/pytorch/$TORCH_VERSION-$TORCH_FLAVOR-$CLASSIFIER/$DJL_VERSION-libdjl_torch.so"
  launcher=$FIJI_DIR/ImageJ-imagine-gpu.sh
  {
    echo "#!/bin/bash"
    echo "# Written by IMAGINE's gpu-check.sh --fiji on $(date -u +%F): Fiji with DJL on PyTorch $TORCH_VERSION"
    echo "# ($TORCH_FLAVOR) from $TORCH_LIB, through the bridge built for it. Delete this file to go back."
    printf 'export PYTORCH_LIBRARY_PATH=%q PYTORCH_VERSION=%q PYTORCH_FLAVOR=%q DJL_CACHE_DIR=%q\n' \
      "$LIB_FOLDER" "$TORCH_VERSION" "$TORCH_FLAVOR" "$cache"
    echo "unset ENGINE_CACHE_DIR  # DJL would look for the bridge there instead"
    printf 'export LD_LIBRARY_PATH=%q${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\n' "$torch_libs"
    printf 'exec %q "$@"\n' "$launcher_of_fiji"
  } > "$launcher"
  chmod +x "$launcher"
  say "Fiji launcher written: $launcher (starts $launcher_of_fiji on PyTorch $TORCH_VERSION $TORCH_FLAVOR)"
  exit 0
fi

if [[ $MODE == bridge-only ]]; then
  imagine 180 doctor doctor --models-dir "$MODELS"
  imagine 180 classify classify --image "$REFERENCE" --top 3 --models-dir "$MODELS"
  sed 's/^/  /' "$RESULTS/classify.log" | tail -3 | tee -a "$SUMMARY"
  if grep -q "Egyptian cat\|tabby\|tiger cat" "$RESULTS/classify.log" \
      && grep -qF "engine: PyTorch $TORCH_VERSION" "$RESULTS/doctor.log"; then
    say "BRIDGE CHECK PASSED: DJL ran PyTorch $TORCH_VERSION through the bridge built here"; exit 0
  fi
  say "BRIDGE CHECK FAILED (doctor.log, classify.log)"; exit 1
fi

# 5. The GPU run. GPU memory is sampled every 200 ms while each step runs.
gpu_step() {  # seconds, name, args...
  local sampler=
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > "$RESULTS/$2.gpu-mem" 2>/dev/null &
    sampler=$!
  fi
  imagine "$@"; local rc=$?
  [[ -n $sampler ]] && kill "$sampler" 2>/dev/null && wait "$sampler" 2>/dev/null
  if [[ -s $RESULTS/$2.gpu-mem ]]; then
    say "$2: peak GPU memory $(sort -n "$RESULTS/$2.gpu-mem" | tail -1) MiB (nvidia-smi, whole GPU)"
  fi
  return $rc
}
gpu_step 60 doctor doctor --models-dir "$MODELS"
grep -i "device\|engine\|pytorch" "$RESULTS/doctor.log" | head -5 | sed 's/^/  /' | tee -a "$SUMMARY"
if gpu_step 170 bench bench --device gpu --sizes 224,512 --samples 1,4,16 --models-dir "$MODELS" --out "$RESULTS"; then
  grep -v "^\s*$" "$RESULTS/bench.log" | tail -12 | sed 's/^/  /' | tee -a "$SUMMARY"
fi
for spec in "gpu 224 1" "gpu 1024 1" "cpu 224 1"; do
  read -r device size samples <<< "$spec"
  name=synth-$device-$size
  extra=()
  [[ $device == cpu ]] && extra=(--threads 2)  # the 2-core machine the CPU numbers elsewhere come from
  gpu_step 150 "$name" synthesize --reference "$REFERENCE" --out "$RESULTS/$name" --models-dir "$MODELS" \
    --size "$size" --samples "$samples" --device "$device" --seed 1 --quiet "${extra[@]}" \
    && say "$name: $(awk -v s="$LAST_SECONDS" -v n="$samples" 'BEGIN { printf "%.2f", s / n }') s per sample (JVM start and model load included)"
  [[ -f $RESULTS/$name/chelsea-001.json ]] && grep -o '"device": "[a-z]*"\|"total": [0-9]*\|"predicted_class": [0-9]*\|"target_probability": [0-9.E-]*' "$RESULTS/$name/chelsea-001.json" | paste -sd' ' | sed 's/^/  /' | tee -a "$SUMMARY"
done
say "finished in $(( $(date +%s) - START ))s of ${BUDGET}s"
# Exit 1 when no GPU synthesis wrote its sidecar: the summary says which step failed and why.
ls "$RESULTS"/synth-gpu-*/chelsea-001.json >/dev/null 2>&1 || exit 1
