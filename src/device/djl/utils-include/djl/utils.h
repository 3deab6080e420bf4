/*
 * JNI helpers that DJL's PyTorch bridge includes as <djl/utils.h>.
 *
 * Written for IMAGINE's GPU check kit, not copied: DJL keeps this header in its api module
 * (api/src/main/native), which neither Maven Central's jars nor the JNI sources the kit takes carry, and the
 * bridge's CMakeLists.txt refuses to configure without it. Only the helpers the bridge of
 * DJL 0.32.0 and 0.36.0 calls are here, with the signatures its call sites need.
 */
#ifndef IMAGINE_DJL_UTILS_H
#define IMAGINE_DJL_UTILS_H

#include <jni.h>

#include <cstdint>
#include <string>
#include <vector>

namespace djl {
namespace utils {
namespace jni {

// Arrays the bridge only read are released without copying back.
static constexpr const jint RELEASE_MODE = JNI_ABORT;
static constexpr const jlong NULL_PTR = 0;

// UTF-8 bytes through String.getBytes: GetStringUTFChars would give modified UTF-8, which
// differs for NUL and characters outside the BMP (file names, module names).
inline std::string GetStringFromJString(JNIEnv* env, jstring jstr) {
  if (jstr == nullptr) {
    return std::string();
  }
  jclass string_class = env->GetObjectClass(jstr);
  jmethodID get_bytes = env->GetMethodID(string_class, "getBytes", "(Ljava/lang/String;)[B");
  jstring charset = env->NewStringUTF("UTF-8");
  auto bytes = static_cast<jbyteArray>(env->CallObjectMethod(jstr, get_bytes, charset));
  env->DeleteLocalRef(charset);
  env->DeleteLocalRef(string_class);
  jsize length = env->GetArrayLength(bytes);
  std::string out(static_cast<size_t>(length), '\0');
  if (length > 0) {
    env->GetByteArrayRegion(bytes, 0, length, reinterpret_cast<jbyte*>(&out[0]));
  }
  env->DeleteLocalRef(bytes);
  return out;
}

inline std::vector<int64_t> GetVecFromJLongArray(JNIEnv* env, jlongArray array) {
  jsize length = env->GetArrayLength(array);
  std::vector<int64_t> out(static_cast<size_t>(length));
  if (length > 0) {
    env->GetLongArrayRegion(array, 0, length, reinterpret_cast<jlong*>(out.data()));
  }
  return out;
}

// Copies of the objects whose native addresses Java holds (tensors, mostly).
template <typename T>
inline std::vector<T> GetObjectVecFromJHandles(JNIEnv* env, jlongArray handles) {
  std::vector<int64_t> addresses = GetVecFromJLongArray(env, handles);
  std::vector<T> out;
  out.reserve(addresses.size());
  for (int64_t address : addresses) {
    out.push_back(*reinterpret_cast<T*>(static_cast<uintptr_t>(address)));
  }
  return out;
}

// New heap copies of a container's elements; Java owns them from here and frees them.
template <typename Container, typename Element>
inline jlongArray GetPtrArrayFromContainer(JNIEnv* env, Container list) {
  auto size = static_cast<jsize>(list.size());
  std::vector<jlong> addresses(static_cast<size_t>(size));
  for (jsize i = 0; i < size; ++i) {
    addresses[i] = static_cast<jlong>(reinterpret_cast<uintptr_t>(new Element(list[i])));
  }
  jlongArray out = env->NewLongArray(size);
  env->SetLongArrayRegion(out, 0, size, addresses.data());
  return out;
}

template <typename Number>
inline jlongArray GetLongArrayFromVec(JNIEnv* env, const std::vector<Number>& values) {
  auto size = static_cast<jsize>(values.size());
  std::vector<jlong> longs(values.begin(), values.end());
  jlongArray out = env->NewLongArray(size);
  env->SetLongArrayRegion(out, 0, size, longs.data());
  return out;
}

inline jobjectArray GetStringArrayFromVec(JNIEnv* env, const std::vector<std::string>& values) {
  jclass string_class = env->FindClass("java/lang/String");
  jmethodID from_bytes = env->GetMethodID(string_class, "<init>", "([BLjava/lang/String;)V");
  jstring charset = env->NewStringUTF("UTF-8");
  auto size = static_cast<jsize>(values.size());
  jobjectArray out = env->NewObjectArray(size, string_class, nullptr);
  for (jsize i = 0; i < size; ++i) {
    const std::string& value = values[i];
    auto length = static_cast<jsize>(value.size());
    jbyteArray bytes = env->NewByteArray(length);
    env->SetByteArrayRegion(bytes, 0, length, reinterpret_cast<const jbyte*>(value.data()));
    jobject text = env->NewObject(string_class, from_bytes, bytes, charset);
    env->SetObjectArrayElement(out, i, text);
    env->DeleteLocalRef(text);
    env->DeleteLocalRef(bytes);
  }
  env->DeleteLocalRef(charset);
  env->DeleteLocalRef(string_class);
  return out;
}

}  // namespace jni
}  // namespace utils
}  // namespace djl

#endif  // IMAGINE_DJL_UTILS_H
