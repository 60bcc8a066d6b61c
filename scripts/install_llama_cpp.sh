#!/usr/bin/env bash
# Install llama-cpp-python (pinned in requirements.txt) into the venv, built from source with
# portable CPU flags. A native build (-march=native) enables AVX-512/AMX kernels that crash in
# some virtual machines, so we build for AVX2 and keep the wheel in a cache outside the repo:
# the build then happens once per machine. Only what the project uses is built: the text library
# (no multimodal mtmd/llava library, tests, examples, tools, server or HTTPS download support),
# on every core.
set -euo pipefail
pip=${1:?usage: install_llama_cpp.sh VENV_BIN}/pip
version=$(grep -E '^llama-cpp-python==' requirements.txt | cut -d= -f3)
cpu="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
only="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF"
flags="$cpu $only"
tag=$(printf '%s' "$flags" | sha1sum | cut -c1-10)
wheelhouse="${XDG_CACHE_HOME:-$HOME/.cache}/moneyprinter/wheels/llama-$tag"
wheel=$(ls "$wheelhouse"/llama_cpp_python-"$version"-*.whl 2>/dev/null | head -n1 || true)
if [ -z "$wheel" ]; then
  echo "building llama-cpp-python $version from source (portable AVX2 text-only build, once per machine)"
  mkdir -p "$wheelhouse"
  CMAKE_ARGS="$flags" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" "$pip" wheel --quiet --no-deps --no-cache-dir -w "$wheelhouse" "llama-cpp-python==$version"
  wheel=$(ls "$wheelhouse"/llama_cpp_python-"$version"-*.whl | head -n1)
fi
"$pip" install --quiet --no-deps --force-reinstall "$wheel"
