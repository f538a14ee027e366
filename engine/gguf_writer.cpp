#include "engine/gguf_writer.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "engine/error.h"

namespace nqkv {
namespace {

class Out {
  public:
    std::vector<uint8_t> buf;
    template <class T>
    void put(T v) {
        const size_t at = buf.size();
        buf.resize(at + sizeof(T));
        std::memcpy(buf.data() + at, &v, sizeof(T));
    }
    void put_string(const std::string& s) {
        put<uint64_t>(s.size());
        buf.insert(buf.end(), s.begin(), s.end());
    }
    void pad_to(uint64_t alignment) {
        while (buf.size() % alignment) buf.push_back(0);
    }
};

void put_value(Out& o, const GgufValue& v, GgufType type) {
    switch (type) {
        case GgufType::U8:
            o.put<uint8_t>(uint8_t(std::get<uint64_t>(v.data)));
            break;
        case GgufType::I8:
            o.put<int8_t>(int8_t(std::get<int64_t>(v.data)));
            break;
        case GgufType::U16:
            o.put<uint16_t>(uint16_t(std::get<uint64_t>(v.data)));
            break;
        case GgufType::I16:
            o.put<int16_t>(int16_t(std::get<int64_t>(v.data)));
            break;
        case GgufType::U32:
            o.put<uint32_t>(uint32_t(std::get<uint64_t>(v.data)));
            break;
        case GgufType::I32:
            o.put<int32_t>(int32_t(std::get<int64_t>(v.data)));
            break;
        case GgufType::U64:
            o.put<uint64_t>(std::get<uint64_t>(v.data));
            break;
        case GgufType::I64:
            o.put<int64_t>(std::get<int64_t>(v.data));
            break;
        case GgufType::F32:
            o.put<float>(float(std::get<double>(v.data)));
            break;
        case GgufType::F64:
            o.put<double>(std::get<double>(v.data));
            break;
        case GgufType::BOOL:
            o.put<uint8_t>(std::get<bool>(v.data) ? 1 : 0);
            break;
        case GgufType::STRING:
            o.put_string(std::get<std::string>(v.data));
            break;
        case GgufType::ARRAY: {
            const auto& items = std::get<std::vector<GgufValue>>(v.data);
            o.put<uint32_t>(uint32_t(v.elem_type));
            o.put<uint64_t>(items.size());
            for (const auto& it : items) put_value(o, it, v.elem_type);
            break;
        }
    }
}

}  // namespace

void GgufWriter::set(const std::string& key, GgufValue value) {
    for (auto& [k, v] : kv_)
        if (k == key) {
            v = std::move(value);
            return;
        }
    kv_.emplace_back(key, std::move(value));
}

void GgufWriter::erase(const std::string& key) {
    std::erase_if(kv_, [&](const auto& kv) { return kv.first == key; });
}

void GgufWriter::add_tensor(const std::string& name, TensorType type, std::vector<uint64_t> dims,
                            std::vector<uint8_t> bytes) {
    const TypeTraits* tr = type_traits(uint32_t(type));
    uint64_t ne = 1;
    for (auto d : dims) ne *= d;
    if (!tr || dims.empty() || dims[0] % uint64_t(tr->block_elems) != 0 ||
        row_bytes(*tr, ne) != bytes.size())
        fail("GGUF writer: tensor ", name, " has ", bytes.size(),
             " bytes, which does not match its type and shape");
    const uint64_t size = bytes.size();
    put_tensor({name, type, std::move(dims), std::move(bytes), size, {}, 0});
}

void GgufWriter::add_tensor_from_file(const std::string& name, TensorType type,
                                      std::vector<uint64_t> dims, const std::string& path,
                                      uint64_t offset) {
    const TypeTraits* tr = type_traits(uint32_t(type));
    uint64_t ne = 1;
    for (auto d : dims) ne *= d;
    if (!tr || dims.empty() || dims[0] % uint64_t(tr->block_elems) != 0)
        fail("GGUF writer: tensor ", name, " has a shape its type cannot take");
    put_tensor({name, type, std::move(dims), {}, row_bytes(*tr, ne), path, offset});
}

void GgufWriter::put_tensor(Tensor t) {
    for (auto& x : tensors_)
        if (x.name == t.name) {
            x = std::move(t);
            return;
        }
    tensors_.push_back(std::move(t));
}

void GgufWriter::add_f32(const std::string& name, std::vector<uint64_t> dims,
                         const std::vector<float>& v) {
    std::vector<uint8_t> bytes(v.size() * 4);
    std::memcpy(bytes.data(), v.data(), bytes.size());
    add_tensor(name, TensorType::F32, std::move(dims), std::move(bytes));
}

std::vector<uint8_t> GgufWriter::header() const {
    Out o;
    o.put<uint32_t>(0x46554747);
    o.put<uint32_t>(3);
    o.put<uint64_t>(tensors_.size());
    const bool custom_alignment = alignment_ != 32;
    o.put<uint64_t>(kv_.size() + (custom_alignment ? 1 : 0));
    for (const auto& [k, v] : kv_) {
        o.put_string(k);
        o.put<uint32_t>(uint32_t(v.type));
        put_value(o, v, v.type);
    }
    if (custom_alignment) {
        o.put_string("general.alignment");
        o.put<uint32_t>(uint32_t(GgufType::U32));
        o.put<uint32_t>(alignment_);
    }
    uint64_t offset = 0;
    for (const auto& t : tensors_) {
        o.put_string(t.name);
        o.put<uint32_t>(uint32_t(t.dims.size()));
        for (auto d : t.dims) o.put<uint64_t>(d);
        o.put<uint32_t>(uint32_t(t.type));
        o.put<uint64_t>(offset);
        offset += (t.size + alignment_ - 1) / alignment_ * alignment_;
    }
    o.pad_to(alignment_);
    return o.buf;
}

namespace {

// Calls `sink` with the tensor's bytes, in chunks when they come from a file.
void for_each_chunk(const std::string& name, const std::vector<uint8_t>& bytes, uint64_t size,
                    const std::string& source, uint64_t offset,
                    const std::function<void(const uint8_t*, size_t)>& sink) {
    if (source.empty()) {
        sink(bytes.data(), bytes.size());
        return;
    }
    FILE* in = std::fopen(source.c_str(), "rb");
    if (!in) fail(source, ": cannot open: ", std::strerror(errno));
    std::vector<uint8_t> buf(std::min<uint64_t>(size, 4u << 20));
    bool ok = fseeko(in, off_t(offset), SEEK_SET) == 0;
    for (uint64_t done = 0; ok && done < size;) {
        const size_t n = size_t(std::min<uint64_t>(buf.size(), size - done));
        ok = std::fread(buf.data(), 1, n, in) == n;
        if (ok) sink(buf.data(), n);
        done += n;
    }
    std::fclose(in);
    if (!ok) fail(source, ": cannot read tensor ", name, " (", size, " bytes at ", offset, ")");
}

}  // namespace

std::vector<uint8_t> GgufWriter::serialize() const {
    std::vector<uint8_t> out = header();
    for (const auto& t : tensors_) {
        for_each_chunk(t.name, t.bytes, t.size, t.source, t.source_offset,
                       [&](const uint8_t* p, size_t n) { out.insert(out.end(), p, p + n); });
        out.resize((out.size() + alignment_ - 1) / alignment_ * alignment_, 0);
    }
    return out;
}

void GgufWriter::write(const std::string& path, const std::function<void(double)>& progress) const {
    const std::string tmp = path + ".part";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) fail(path, ": cannot create: ", std::strerror(errno));
    uint64_t total = 0, done = 0;
    for (const auto& t : tensors_) total += t.size;
    bool ok = true;
    auto put = [&](const uint8_t* p, size_t n) { ok = ok && std::fwrite(p, 1, n, f) == n; };
    try {
        const std::vector<uint8_t> head = header();
        put(head.data(), head.size());
        uint64_t pos = head.size();
        const std::vector<uint8_t> zeros(alignment_, 0);
        for (const auto& t : tensors_) {
            for_each_chunk(t.name, t.bytes, t.size, t.source, t.source_offset,
                           [&](const uint8_t* p, size_t n) {
                               put(p, n);
                               done += n;
                               if (progress && total) progress(double(done) / double(total));
                           });
            pos += t.size;
            const uint64_t pad = (alignment_ - pos % alignment_) % alignment_;
            put(zeros.data(), size_t(pad));
            pos += pad;
        }
    } catch (...) {
        std::fclose(f);
        std::remove(tmp.c_str());
        throw;
    }
    if (std::fclose(f) != 0 || !ok) {
        std::remove(tmp.c_str());
        fail(path, ": write failed (disk full?)");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        fail(path, ": cannot rename the finished file into place: ", std::strerror(errno));
    }
}

}  // namespace nqkv
