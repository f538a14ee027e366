#include "engine/gguf_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sstream>

#include "engine/error.h"

namespace nqkv {
namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" little-endian
constexpr int kMaxArrayDepth = 8;
constexpr uint32_t kMaxDims = 4;

// Bounds-checked little-endian reader over the mapping.
class Cursor {
  public:
    Cursor(const std::string& path, const uint8_t* base, size_t size)
        : path_(path), base_(base), size_(size) {}

    size_t pos() const { return pos_; }
    size_t remaining() const { return size_ - pos_; }

    void need(uint64_t n, const char* what) const {
        if (n > remaining())
            fail(path_, ": truncated while reading ", what, " at offset ", pos_, " (need ", n,
                 " bytes, file has ", remaining(), " left)");
    }

    template <class T>
    T read(const char* what) {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, base_ + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }

    std::string read_string(const char* what) {
        const uint64_t len = read<uint64_t>(what);
        need(len, what);
        std::string s(reinterpret_cast<const char*>(base_ + pos_), size_t(len));
        pos_ += size_t(len);
        return s;
    }

  private:
    const std::string& path_;
    const uint8_t* base_;
    size_t size_;
    size_t pos_ = 0;
};

// Smallest encoded size of one element, used to reject array counts the file cannot hold
// before anything is allocated.
uint64_t min_encoded_size(GgufType t) {
    switch (t) {
        case GgufType::U8:
        case GgufType::I8:
        case GgufType::BOOL:
            return 1;
        case GgufType::U16:
        case GgufType::I16:
            return 2;
        case GgufType::U32:
        case GgufType::I32:
        case GgufType::F32:
            return 4;
        case GgufType::U64:
        case GgufType::I64:
        case GgufType::F64:
        case GgufType::STRING:
            return 8;
        case GgufType::ARRAY:
            return 12;
    }
    return 0;
}

bool valid_type(uint32_t t) {
    return t <= uint32_t(GgufType::F64);
}

GgufValue read_value(Cursor& c, const std::string& path, const std::string& key, GgufType type,
                     int depth) {
    GgufValue v;
    v.type = type;
    switch (type) {
        case GgufType::U8:
            v.data = uint64_t(c.read<uint8_t>(key.c_str()));
            break;
        case GgufType::I8:
            v.data = int64_t(c.read<int8_t>(key.c_str()));
            break;
        case GgufType::U16:
            v.data = uint64_t(c.read<uint16_t>(key.c_str()));
            break;
        case GgufType::I16:
            v.data = int64_t(c.read<int16_t>(key.c_str()));
            break;
        case GgufType::U32:
            v.data = uint64_t(c.read<uint32_t>(key.c_str()));
            break;
        case GgufType::I32:
            v.data = int64_t(c.read<int32_t>(key.c_str()));
            break;
        case GgufType::U64:
            v.data = c.read<uint64_t>(key.c_str());
            break;
        case GgufType::I64:
            v.data = c.read<int64_t>(key.c_str());
            break;
        case GgufType::F32:
            v.data = double(c.read<float>(key.c_str()));
            break;
        case GgufType::F64:
            v.data = c.read<double>(key.c_str());
            break;
        case GgufType::BOOL: {
            const uint8_t b = c.read<uint8_t>(key.c_str());
            if (b > 1) fail(path, ": key ", key, ": bool value ", int(b), " is not 0 or 1");
            v.data = b != 0;
            break;
        }
        case GgufType::STRING:
            v.data = c.read_string(key.c_str());
            break;
        case GgufType::ARRAY: {
            if (depth >= kMaxArrayDepth)
                fail(path, ": key ", key, ": arrays nested deeper than ", kMaxArrayDepth);
            const uint32_t et = c.read<uint32_t>(key.c_str());
            if (!valid_type(et)) fail(path, ": key ", key, ": array has unknown element type ", et);
            const uint64_t n = c.read<uint64_t>(key.c_str());
            const uint64_t min = min_encoded_size(GgufType(et));
            if (n > c.remaining() / min)
                fail(path, ": key ", key, ": array length ", n, " of ",
                     gguf_type_name(GgufType(et)), " does not fit in the ", c.remaining(),
                     " bytes left in the file (truncated or corrupt)");
            v.elem_type = GgufType(et);
            std::vector<GgufValue> items;
            items.reserve(size_t(n));
            for (uint64_t i = 0; i < n; ++i)
                items.push_back(read_value(c, path, key, GgufType(et), depth + 1));
            v.data = std::move(items);
            break;
        }
    }
    return v;
}

}  // namespace

std::string GgufTensorInfo::shape_string() const {
    std::ostringstream os;
    os << "[";
    for (size_t i = 0; i < dims.size(); ++i) os << (i ? ", " : "") << dims[i];
    os << "]";
    return os.str();
}

GgufFile GgufFile::open(const std::string& path) {
    GgufFile f;
    f.path_ = path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path, ": cannot open: ", std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        fail(path, ": cannot stat: ", std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(path, ": not a regular file");
    }
    if (st.st_size == 0) {
        ::close(fd);
        fail(path, ": file is empty, expected a GGUF model");
    }
    void* m = ::mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    const int e = errno;
    ::close(fd);
    if (m == MAP_FAILED) fail(path, ": cannot map into memory: ", std::strerror(e));
    f.base_ = static_cast<const uint8_t*>(m);
    f.size_ = size_t(st.st_size);
    f.parse();
    return f;
}

GgufFile::GgufFile(GgufFile&& o) noexcept {
    *this = std::move(o);
}

GgufFile& GgufFile::operator=(GgufFile&& o) noexcept {
    if (this != &o) {
        release();
        path_ = std::move(o.path_);
        base_ = std::exchange(o.base_, nullptr);
        size_ = std::exchange(o.size_, 0);
        version_ = o.version_;
        alignment_ = o.alignment_;
        data_offset_ = o.data_offset_;
        kv_ = std::move(o.kv_);
        kv_index_ = std::move(o.kv_index_);
        tensors_ = std::move(o.tensors_);
        tensor_index_ = std::move(o.tensor_index_);
    }
    return *this;
}

GgufFile::~GgufFile() {
    release();
}

void GgufFile::release() {
    if (base_) ::munmap(const_cast<uint8_t*>(base_), size_);
    base_ = nullptr;
}

void GgufFile::parse() {
    Cursor c(path_, base_, size_);
    if (size_ < 4) fail(path_, ": file is only ", size_, " bytes, too short for a GGUF header");
    const uint32_t magic = c.read<uint32_t>("magic");
    if (magic != kMagic) {
        std::string shown;
        for (int i = 0; i < 4; ++i) {
            const char ch = char(base_[i]);
            shown += (ch >= 32 && ch < 127) ? std::string(1, ch) : std::string("?");
        }
        fail(path_, ": not a GGUF file (magic is \"", shown, "\", expected \"GGUF\")");
    }
    version_ = c.read<uint32_t>("version");
    if (version_ != 2 && version_ != 3)
        fail(path_, ": unsupported GGUF version ", version_,
             " (this engine reads versions 2 and 3)");
    const uint64_t n_tensors = c.read<uint64_t>("tensor count");
    const uint64_t n_kv = c.read<uint64_t>("metadata count");
    // A key/value pair takes at least 8 (key length) + 4 (type) + 1 bytes.
    if (n_kv > c.remaining() / 13)
        fail(path_, ": metadata count ", n_kv, " cannot fit in the ", c.remaining(),
             " bytes left in the file (truncated or corrupt)");

    for (uint64_t i = 0; i < n_kv; ++i) {
        std::string key = c.read_string("metadata key");
        const uint32_t t = c.read<uint32_t>(key.c_str());
        if (!valid_type(t)) fail(path_, ": key ", key, ": unknown value type ", t);
        GgufValue v = read_value(c, path_, key, GgufType(t), 0);
        if (kv_index_.count(key)) fail(path_, ": key ", key, " appears twice");
        kv_index_[key] = kv_.size();
        kv_.emplace_back(std::move(key), std::move(v));
    }

    if (const GgufValue* a = find("general.alignment")) {
        const auto al = a->as_int();
        if (!al || *al <= 0 || (*al & (*al - 1)) != 0 || *al > (1 << 20))
            fail(path_, ": general.alignment is ", a->to_display(), ", expected a power of two");
        alignment_ = uint64_t(*al);
    }

    // Each tensor info takes at least 8 (name len) + 4 (n_dims) + 8 (one dim) + 4 + 8 bytes.
    if (n_tensors > c.remaining() / 32)
        fail(path_, ": tensor count ", n_tensors, " cannot fit in the ", c.remaining(),
             " bytes left in the file (truncated or corrupt)");
    tensors_.reserve(size_t(n_tensors));
    for (uint64_t i = 0; i < n_tensors; ++i) {
        GgufTensorInfo ti;
        ti.name = c.read_string("tensor name");
        const uint32_t nd = c.read<uint32_t>(ti.name.c_str());
        if (nd == 0 || nd > kMaxDims)
            fail(path_, ": tensor ", ti.name, " has ", nd, " dimensions (1 to ", kMaxDims,
                 " allowed)");
        uint64_t ne = 1;
        for (uint32_t d = 0; d < nd; ++d) {
            const uint64_t dim = c.read<uint64_t>(ti.name.c_str());
            if (dim == 0) fail(path_, ": tensor ", ti.name, " has a zero dimension");
            if (dim > uint64_t(std::numeric_limits<int64_t>::max()) / ne)
                fail(path_, ": tensor ", ti.name, ": element count overflows");
            ne *= dim;
            ti.dims.push_back(dim);
        }
        const uint32_t type = c.read<uint32_t>(ti.name.c_str());
        const TypeTraits* tr = type_traits(type);
        if (!tr) fail(path_, ": tensor ", ti.name, " has unknown type ", type);
        ti.type = TensorType(type);
        ti.offset = c.read<uint64_t>(ti.name.c_str());
        ti.n_elements = ne;
        if (ti.dims[0] % uint64_t(tr->block_elems) != 0)
            fail(path_, ": tensor ", ti.name, ": row length ", ti.dims[0],
                 " is not a multiple of the ", tr->name, " block size ", tr->block_elems);
        const uint64_t blocks = ne / uint64_t(tr->block_elems);
        if (blocks > std::numeric_limits<uint64_t>::max() / uint64_t(tr->block_bytes))
            fail(path_, ": tensor ", ti.name, ": byte size overflows");
        ti.n_bytes = blocks * uint64_t(tr->block_bytes);
        if (ti.offset % alignment_ != 0)
            fail(path_, ": tensor ", ti.name, " offset ", ti.offset,
                 " is not a multiple of the alignment ", alignment_);
        if (tensor_index_.count(ti.name)) fail(path_, ": tensor ", ti.name, " appears twice");
        tensor_index_[ti.name] = tensors_.size();
        tensors_.push_back(std::move(ti));
    }

    const uint64_t header_end = c.pos();
    data_offset_ = (header_end + alignment_ - 1) / alignment_ * alignment_;
    if (!tensors_.empty() && data_offset_ > size_)
        fail(path_, ": tensor data would start at ", data_offset_, ", past the end of the file (",
             size_, " bytes)");
    const uint64_t data_size = data_offset_ <= size_ ? size_ - data_offset_ : 0;

    for (auto& ti : tensors_) {
        if (ti.offset > data_size || ti.n_bytes > data_size - ti.offset)
            fail(path_, ": tensor ", ti.name, " ends past end of file (offset ", ti.offset,
                 ", size ", ti.n_bytes, ", data section ", data_size, " bytes)");
        ti.data = base_ + data_offset_ + ti.offset;
    }

    std::vector<const GgufTensorInfo*> by_offset;
    for (const auto& ti : tensors_) by_offset.push_back(&ti);
    std::sort(by_offset.begin(), by_offset.end(),
              [](auto* a, auto* b) { return a->offset < b->offset; });
    for (size_t i = 1; i < by_offset.size(); ++i) {
        const auto* prev = by_offset[i - 1];
        if (by_offset[i]->offset < prev->offset + prev->n_bytes)
            fail(path_, ": tensors ", prev->name, " and ", by_offset[i]->name, " overlap (offsets ",
                 prev->offset, " + ", prev->n_bytes, " > ", by_offset[i]->offset, ")");
    }
}

const GgufValue* GgufFile::find(const std::string& key) const {
    auto it = kv_index_.find(key);
    return it == kv_index_.end() ? nullptr : &kv_[it->second].second;
}

std::optional<int64_t> GgufFile::get_int(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    auto i = v->as_int();
    if (!i) fail(path_, ": key ", key, " is ", gguf_type_name(v->type), ", expected an integer");
    return i;
}

std::optional<double> GgufFile::get_float(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    auto d = v->as_double();
    if (!d) fail(path_, ": key ", key, " is ", gguf_type_name(v->type), ", expected a number");
    return d;
}

std::optional<std::string> GgufFile::get_string(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (!v->as_string())
        fail(path_, ": key ", key, " is ", gguf_type_name(v->type), ", expected a string");
    return *v->as_string();
}

std::optional<bool> GgufFile::get_bool(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (auto* b = std::get_if<bool>(&v->data)) return *b;
    if (auto i = v->as_int()) return *i != 0;
    fail(path_, ": key ", key, " is ", gguf_type_name(v->type), ", expected a bool");
}

int64_t GgufFile::require_int(const std::string& key) const {
    auto v = get_int(key);
    if (!v) fail(path_, ": required key ", key, " is missing");
    return *v;
}

std::string GgufFile::require_string(const std::string& key) const {
    auto v = get_string(key);
    if (!v) fail(path_, ": required key ", key, " is missing");
    return *v;
}

const std::vector<GgufValue>& GgufFile::require_array(const std::string& key, GgufType elem) const {
    const GgufValue* v = find(key);
    if (!v) fail(path_, ": required key ", key, " is missing");
    const auto* a = v->as_array();
    if (!a) fail(path_, ": key ", key, " is ", gguf_type_name(v->type), ", expected an array");
    if (v->elem_type != elem)
        fail(path_, ": key ", key, " is an array of ", gguf_type_name(v->elem_type), ", expected ",
             gguf_type_name(elem));
    return *a;
}

const GgufTensorInfo* GgufFile::tensor(const std::string& name) const {
    auto it = tensor_index_.find(name);
    return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

const GgufTensorInfo& GgufFile::computable(const std::string& name) const {
    const GgufTensorInfo* t = tensor(name);
    if (!t) fail(path_, ": required tensor ", name, " is missing");
    if (!type_traits(uint32_t(t->type))->supported)
        fail(path_, ": tensor ", name, " has type ", type_name(t->type),
             ", which this engine cannot compute with (supported: ", supported_type_names(), ")");
    return *t;
}

const float* GgufFile::f32_vector(const std::string& name, int64_t n, bool required) const {
    const GgufTensorInfo* t = tensor(name);
    if (!t) {
        if (required) fail(path_, ": required tensor ", name, " is missing");
        return nullptr;
    }
    if (t->type != TensorType::F32)
        fail(path_, ": tensor ", name, " has type ", type_name(t->type), ", expected F32");
    if (t->n_elements != uint64_t(n))
        fail(path_, ": tensor ", name, " has shape ", t->shape_string(), ", expected [", n, "]");
    if (reinterpret_cast<uintptr_t>(t->data) % alignof(float) != 0)
        fail(path_, ": tensor ", name, " is not 4-byte aligned in the file");
    return reinterpret_cast<const float*>(t->data);
}

}  // namespace nqkv
