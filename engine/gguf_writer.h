// Writes GGUF version 3 files: used by the tests to build models and by the bundled-model
// recipe. Tensors are given as raw bytes already in their file type.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/ggml_types.h"
#include "engine/gguf_value.h"

namespace nqkv {

class GgufWriter {
  public:
    explicit GgufWriter(uint32_t alignment = 32) : alignment_(alignment) {}

    void set(const std::string& key, GgufValue value);
    void erase(const std::string& key);
    // dims in GGUF order (dims[0] contiguous); bytes must match the type's size exactly.
    // A tensor of the same name is replaced.
    void add_tensor(const std::string& name, TensorType type, std::vector<uint64_t> dims,
                    std::vector<uint8_t> bytes);
    void add_f32(const std::string& name, std::vector<uint64_t> dims, const std::vector<float>& v);

    // Serialises the whole file into memory (tests corrupt it byte by byte).
    std::vector<uint8_t> serialize() const;
    // Writes atomically: a temporary file renamed over `path`. Throws Error on failure.
    void write(const std::string& path) const;

  private:
    struct Tensor {
        std::string name;
        TensorType type;
        std::vector<uint64_t> dims;
        std::vector<uint8_t> bytes;
    };
    uint32_t alignment_;
    std::vector<std::pair<std::string, GgufValue>> kv_;
    std::vector<Tensor> tensors_;
};

}  // namespace nqkv
