#include "engine/sp_model_proto.h"

#include <cstring>

namespace nqkv {
namespace {

// Field numbers from sentencepiece_model.proto.
enum : uint32_t {
    kModelPieces = 1,
    kModelTrainerSpec = 2,
    kModelNormalizerSpec = 3,
    kPieceText = 1,
    kPieceScore = 2,
    kPieceType = 3,
    kTrainerModelType = 3,
    kTrainerVocabSize = 4,
    kTrainerByteFallback = 35,
    kTrainerUnkId = 40,
    kTrainerBosId = 41,
    kTrainerEosId = 42,
    kTrainerPadId = 43,
    kNormName = 1,
    kNormAddDummyPrefix = 3,
    kNormRemoveExtraWs = 4,
    kNormEscapeWs = 5,
};
constexpr uint32_t kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5;
constexpr int kModelTypeBpe = 2;

void put_varint(std::string& o, uint64_t v) {
    while (v >= 0x80) {
        o.push_back(char(v | 0x80));
        v >>= 7;
    }
    o.push_back(char(v));
}
void put_tag(std::string& o, uint32_t field, uint32_t wire) {
    put_varint(o, (field << 3) | wire);
}
// int32 fields encode negatives as 10-byte sign-extended varints.
void put_int(std::string& o, uint32_t field, int64_t v) {
    put_tag(o, field, kVarint);
    put_varint(o, uint64_t(v));
}
void put_bytes(std::string& o, uint32_t field, const std::string& s) {
    put_tag(o, field, kLen);
    put_varint(o, s.size());
    o += s;
}
void put_float(std::string& o, uint32_t field, float f) {
    put_tag(o, field, kFixed32);
    char b[4];
    std::memcpy(b, &f, 4);
    o.append(b, 4);
}

struct Reader {
    const std::string& s;
    size_t pos = 0, end = 0;
    bool ok = true;
    bool more() const { return ok && pos < end; }
    uint64_t varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) break;
            const auto b = uint8_t(s[pos++]);
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) return v;
        }
        ok = false;
        return 0;
    }
    // Returns the [begin, end) of a length-delimited field.
    std::pair<size_t, size_t> bytes() {
        const uint64_t n = varint();
        if (!ok || n > end - pos) {
            ok = false;
            return {pos, pos};
        }
        const size_t b = pos;
        pos += size_t(n);
        return {b, pos};
    }
    float fixed32() {
        if (end - pos < 4) {
            ok = false;
            return 0;
        }
        float f;
        std::memcpy(&f, s.data() + pos, 4);
        pos += 4;
        return f;
    }
    void skip(uint32_t wire) {
        switch (wire) {
            case kVarint:
                varint();
                break;
            case kFixed64:
                if (end - pos < 8)
                    ok = false;
                else
                    pos += 8;
                break;
            case kLen:
                bytes();
                break;
            case kFixed32:
                fixed32();
                break;
            default:
                ok = false;
        }
    }
};

}  // namespace

std::string encode_sp_model(const SpModelSpec& spec) {
    std::string out;
    for (const auto& p : spec.pieces) {
        std::string m;
        put_bytes(m, kPieceText, p.text);
        put_float(m, kPieceScore, p.score);
        put_int(m, kPieceType, int(p.type));
        put_bytes(out, kModelPieces, m);
    }
    std::string t;
    put_int(t, kTrainerModelType, kModelTypeBpe);
    put_int(t, kTrainerVocabSize, int64_t(spec.pieces.size()));
    put_int(t, kTrainerByteFallback, spec.byte_fallback ? 1 : 0);
    put_int(t, kTrainerUnkId, spec.unk_id);
    put_int(t, kTrainerBosId, spec.bos_id);
    put_int(t, kTrainerEosId, spec.eos_id);
    put_int(t, kTrainerPadId, spec.pad_id);
    put_bytes(out, kModelTrainerSpec, t);
    std::string n;
    put_bytes(n, kNormName, "identity");
    put_int(n, kNormAddDummyPrefix, spec.add_dummy_prefix ? 1 : 0);
    put_int(n, kNormRemoveExtraWs, spec.remove_extra_whitespaces ? 1 : 0);
    put_int(n, kNormEscapeWs, 1);
    put_bytes(out, kModelNormalizerSpec, n);
    return out;
}

bool decode_sp_model(const std::string& bytes, SpModelSpec& out) {
    out = SpModelSpec{};
    out.remove_extra_whitespaces = true;  // proto defaults
    Reader r{bytes, 0, bytes.size()};
    while (r.more()) {
        const uint64_t key = r.varint();
        const auto field = uint32_t(key >> 3), wire = uint32_t(key & 7);
        if (field == kModelPieces && wire == kLen) {
            auto [b, e] = r.bytes();
            Reader p{bytes, b, e};
            SpPiece piece;
            while (p.more()) {
                const uint64_t k = p.varint();
                const auto f = uint32_t(k >> 3), w = uint32_t(k & 7);
                if (f == kPieceText && w == kLen) {
                    auto [pb, pe] = p.bytes();
                    piece.text = bytes.substr(pb, pe - pb);
                } else if (f == kPieceScore && w == kFixed32) {
                    piece.score = p.fixed32();
                } else if (f == kPieceType && w == kVarint) {
                    piece.type = PieceType(int(p.varint()));
                } else {
                    p.skip(w);
                }
            }
            if (!p.ok) return false;
            out.pieces.push_back(std::move(piece));
        } else if ((field == kModelNormalizerSpec || field == kModelTrainerSpec) && wire == kLen) {
            auto [b, e] = r.bytes();
            Reader n{bytes, b, e};
            while (n.more()) {
                const uint64_t k = n.varint();
                const auto f = uint32_t(k >> 3), w = uint32_t(k & 7);
                if (w != kVarint) {
                    n.skip(w);
                    continue;
                }
                const auto v = int64_t(n.varint());
                if (field == kModelNormalizerSpec) {
                    if (f == kNormAddDummyPrefix) out.add_dummy_prefix = v != 0;
                    if (f == kNormRemoveExtraWs) out.remove_extra_whitespaces = v != 0;
                } else {
                    if (f == kTrainerByteFallback) out.byte_fallback = v != 0;
                    if (f == kTrainerUnkId) out.unk_id = int(v);
                    if (f == kTrainerBosId) out.bos_id = int(v);
                    if (f == kTrainerEosId) out.eos_id = int(v);
                    if (f == kTrainerPadId) out.pad_id = int(v);
                }
            }
            if (!n.ok) return false;
        } else {
            r.skip(wire);
        }
    }
    return r.ok && !out.pieces.empty();
}

}  // namespace nqkv
