#!/usr/bin/env bash
# Builds the GPU check kit: target/gpu-kit/, everything a GPU machine without Java or a Maven
# registry needs to run IMAGINE on its own PyTorch, kept small enough to copy over (60 MiB).
# Usage, from the repository root:
#   IMAGINE_DJL_SOURCES=DJL_V0.36.0_CHECKOUT bash src/device/build-kit.sh MODELS_DIR
#   (MODELS_DIR defaults to IMAGINE_MODELS; the DJL folder must hold engines/pytorch/pytorch-native)
# then on the GPU machine: bash target/gpu-kit/gpu-check.sh   (see docs/gpu.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
MODELS=${1:-${IMAGINE_MODELS:-}}
MODEL_ID=mobilenet_v1_0.75_224
DJL_VERSION=0.36.0
VENDOR=${IMAGINE_DJL_SOURCES:-}
KIT=$ROOT/target/gpu-kit
LIMIT_MIB=60

fail() { echo "build-kit: $*" >&2; exit 1; }
[[ -n $MODELS && -d $MODELS/$MODEL_ID ]] || fail "no model folder '$MODELS/$MODEL_ID' (pass the models folder as the first argument, or set IMAGINE_MODELS)"
[[ -n $VENDOR && -f $VENDOR/engines/pytorch/pytorch-native/CMakeLists.txt ]] \
  || fail "no DJL JNI sources in '$VENDOR': set IMAGINE_DJL_SOURCES to a DJL v$DJL_VERSION checkout (it needs engines/pytorch/pytorch-native)"
command -v jlink >/dev/null && command -v javac >/dev/null || fail "jlink or javac not found: a full JDK 17 is needed, not a JRE"
command -v xz >/dev/null || fail "xz not found (apt-get install xz-utils)"
if [[ ! -f target/imagine.jar || ! -d target/lib ]]; then
  mvn -B -q -o package -DskipTests
fi

rm -rf "$KIT"
mkdir -p "$KIT/app/lib" "$KIT/djl"

# 1. A Java runtime with only the modules the command line loads. Header files stay in (jni.h and
#    jni_md.h under include/), because CMake's FindJNI on the GPU machine needs a JDK-like folder.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
jlink --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.prefs,java.scripting,java.sql,java.xml,jdk.unsupported \
  --strip-debug --no-man-pages --compress=0 --output "$stage/runtime"
tar -C "$stage" -cf - runtime | xz -6 -T0 > "$KIT/runtime.tar.xz"

# 2. The command line and its jars, without any libtorch: the GPU machine brings its own.
cp target/imagine.jar "$KIT/app/"
for jar in target/lib/*.jar; do
  case $(basename "$jar") in pytorch-native-*) continue ;; esac
  cp "$jar" "$KIT/app/lib/"
done

# 3. The model, packed (the weights do not compress much; the JSON does).
tar -C "$MODELS" -cf - "$MODEL_ID" | xz -6 -T0 > "$KIT/models.tar.xz"

# 4. DJL's JNI bridge sources, laid out as DJL's repository has them, so its CMakeLists.txt finds
#    djl/utils.h (our own, src/device/djl) at ../../../api/src/main/native; plus the JNI header that
#    DJL's build.sh would make with javac -h (no javac on the GPU machine).
native=$KIT/djl/engines/pytorch/pytorch-native
mkdir -p "$native/build/include" "$KIT/djl/api/src/main/native"
cp "$VENDOR/engines/pytorch/pytorch-native/CMakeLists.txt" "$native/"
cp -r "$VENDOR/engines/pytorch/pytorch-native/src" "$native/"
cp "$VENDOR/LICENSE" "$KIT/djl/LICENSE"
cp -r src/device/djl/utils-include/djl "$KIT/djl/api/src/main/native/"
javac -h "$native/build/include" -d "$stage/classes" -cp "target/lib/api-$DJL_VERSION.jar" \
  -sourcepath "$VENDOR/engines/pytorch/pytorch-engine/src/main/java" \
  "$VENDOR/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
echo "$DJL_VERSION" > "$KIT/djl/VERSION"

# 5. The script that runs there, and a manifest.
cp src/device/gpu-check.sh "$KIT/"
cp sample-data/chelsea.png "$KIT/"  # the reference every step uses
(cd "$KIT" && find . -type f ! -name MANIFEST.txt | sort | xargs sha256sum) > "$KIT/MANIFEST.txt"

bytes=$(du -sb "$KIT" | cut -f1)
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "GPU check kit: $KIT"
printf '  %-18s %8s\n' runtime.tar.xz "$(du -sh "$KIT/runtime.tar.xz" | cut -f1)" \
  models.tar.xz "$(du -sh "$KIT/models.tar.xz" | cut -f1)" app/ "$(du -sh "$KIT/app" | cut -f1)" \
  djl/ "$(du -sh "$KIT/djl" | cut -f1)"
echo "  total              ${mib} MiB (limit ${LIMIT_MIB} MiB)"
awk -v b="$bytes" -v l="$LIMIT_MIB" 'BEGIN { exit !(b <= l * 1048576) }' \
  || fail "the kit is ${mib} MiB, over ${LIMIT_MIB} MiB: too large to copy to the GPU machine"
