// NQKV: codebooks from their definitions, the NF4 table, error bounds, bit packing, attention
// over the quantized cache, exact memory accounting, budget sizing and block inspection.
#include <cmath>
#include <random>

#include "engine/error.h"
#include "engine/half.h"
#include "engine/kv_cache.h"
#include "engine/nqkv_block.h"
#include "engine/nqkv_codebook.h"
#include "tests/test_support.h"

using namespace nqkv;

namespace {

const CodeFamily kFamilies[] = {CodeFamily::NQ, CodeFamily::LM, CodeFamily::INT};
const int kWidths[] = {2, 3, 4, 8};
const int kBlocks[] = {16, 32, 64, 128};

std::vector<float> normal_values(size_t n, uint32_t seed, float sigma = 1.f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> d(0.f, sigma);
    std::vector<float> v(n);
    for (float& x : v) x = d(rng);
    return v;
}

// Mean squared error over many N(0,1) blocks, divided by the variance (1).
double empirical_mse(const Codebook& cb, int B, int n_blocks) {
    const auto x = normal_values(size_t(B) * size_t(n_blocks), 99);
    std::vector<uint8_t> codes(static_cast<size_t>(B));
    std::vector<float> y(static_cast<size_t>(B));
    double e = 0;
    for (int b = 0; b < n_blocks; ++b) {
        const float* xb = x.data() + size_t(b) * size_t(B);
        dequantize_block(cb, quantize_block(cb, xb, B, codes.data()), codes.data(), B, y.data());
        for (int i = 0; i < B; ++i) e += double(xb[i] - y[size_t(i)]) * (xb[i] - y[size_t(i)]);
    }
    return e / double(x.size());
}

}  // namespace

class TestNqkv : public QObject {
    Q_OBJECT

  private slots:
    void nq4_is_the_nf4_table() {
        // bitsandbytes' NF4 values (functional.py, create_normal_map at offset 0.9677083).
        const double nf4[] = {-1.0,
                              -0.6961928009986877,
                              -0.5250730514526367,
                              -0.39491748809814453,
                              -0.28444138169288635,
                              -0.18477343022823334,
                              -0.09105003625154495,
                              0.0,
                              0.07958029955625534,
                              0.16093020141124725,
                              0.24611230194568634,
                              0.33791524171829224,
                              0.44070982933044434,
                              0.5626170039176941,
                              0.7229568362236023,
                              1.0};
        const auto& lv = Codebook::get(CodeFamily::NQ, 4, 64).levels();
        QCOMPARE(int(lv.size()), 16);
        for (int i = 0; i < 16; ++i)
            QVERIFY2(std::abs(lv[size_t(i)] - nf4[i]) < 1e-6, qPrintable(QString::number(i)));
    }

    void codebooks_are_well_formed() {
        for (CodeFamily f : kFamilies)
            for (int bits : kWidths)
                for (int B : kBlocks) {
                    const auto& lv = Codebook::get(f, bits, B).levels();
                    QCOMPARE(int(lv.size()), 1 << bits);
                    QCOMPARE(lv.back(), 1.0f);
                    QVERIFY(lv.front() >= -1.0f);
                    for (size_t i = 1; i < lv.size(); ++i) QVERIFY(lv[i] > lv[i - 1]);
                    if (f == CodeFamily::NQ) QCOMPARE(lv.front(), -1.0f);
                }
    }

    void absmax_density_integrates_to_one() {
        for (int B : {16, 128}) {
            const auto f = Codebook::absmax_density(B, 2001);
            double s = 0;
            for (size_t i = 0; i < f.size(); ++i)
                s += f[i] * (i == 0 || i + 1 == f.size() ? 0.5 : 1.0);
            QVERIFY(std::abs(s * 2.0 / 2000 - 1) < 1e-3);
        }
    }

    void round_trip_within_error_bound() {
        std::vector<uint8_t> codes(128);
        std::vector<float> y(128);
        for (CodeFamily f : kFamilies)
            for (int bits : kWidths)
                for (int B : kBlocks) {
                    const Codebook& cb = Codebook::get(f, bits, B);
                    const auto& lv = cb.levels();
                    double gap = 0;
                    for (size_t i = 1; i < lv.size(); ++i)
                        gap = std::max(gap, double(lv[i] - lv[i - 1]));
                    // Below the lowest level the whole distance to -1 counts, not half a gap.
                    const double reach = std::max(gap / 2, double(lv.front() + 1));
                    const auto x = normal_values(size_t(B) * 50, uint32_t(bits * 1000 + B), 3.f);
                    for (int b = 0; b < 50; ++b) {
                        const float* xb = x.data() + size_t(b) * size_t(B);
                        const uint16_t s16 = quantize_block(cb, xb, B, codes.data());
                        dequantize_block(cb, s16, codes.data(), B, y.data());
                        float amax = 0;
                        for (int i = 0; i < B; ++i) amax = std::max(amax, std::abs(xb[i]));
                        const double s = std::abs(fp16_to_fp32(s16));
                        const double bound = s * reach * (1 + 1e-6) + std::abs(amax - s) + 1e-7;
                        for (int i = 0; i < B; ++i) {
                            QVERIFY(std::abs(xb[i] - y[size_t(i)]) <= bound);
                            // and the chosen level is the nearest one
                            const double yi = xb[i] / fp16_to_fp32(s16);
                            for (float l : lv)
                                QVERIFY(std::abs(yi - lv[codes[size_t(i)]]) <=
                                        std::abs(yi - l) + 1e-6);
                        }
                    }
                }
    }

    void lloyd_max_beats_the_others_on_its_own_distribution() {
        for (int bits : {2, 3, 4, 8})
            for (int B : {16, 64}) {
                const double lm = empirical_mse(Codebook::get(CodeFamily::LM, bits, B), B, 4000);
                const double nq = empirical_mse(Codebook::get(CodeFamily::NQ, bits, B), B, 4000);
                const double in = empirical_mse(Codebook::get(CodeFamily::INT, bits, B), B, 4000);
                qInfo("bits %d, B %d: MSE lm %.5f nq %.5f int %.5f", bits, B, lm, nq, in);
                QVERIFY(lm <= nq * 1.01);
                QVERIFY(lm <= in * 1.01);
            }
    }

    void packing_round_trips_exactly() {
        std::mt19937 rng(5);
        for (int bits : kWidths)
            for (size_t n : {1, 3, 7, 8, 9, 15, 16, 63, 64, 65, 1001}) {
                std::vector<uint8_t> codes(n), back(n);
                for (auto& c : codes) c = uint8_t(rng() & ((1u << bits) - 1));
                std::vector<uint8_t> packed(packed_bytes(n, bits) + 1, 0xEE);
                pack_codes(codes.data(), n, bits, packed.data());
                QCOMPARE(packed.back(), uint8_t(0xEE));  // nothing written past the end
                unpack_codes(packed.data(), 0, n, bits, back.data());
                QCOMPARE(back, codes);
                if (n > 5) {
                    std::vector<uint8_t> tail(n - 5);
                    unpack_codes(packed.data(), 5, n - 5, bits, tail.data());
                    QVERIFY(std::equal(tail.begin(), tail.end(), codes.begin() + 5));
                }
            }
        QCOMPARE(packed_bytes(8, 3), size_t(3));
        QCOMPARE(packed_bytes(64, 2), size_t(16));
        QCOMPARE(packed_bytes(64, 4), size_t(32));
    }

    void attention_equals_attention_over_dequantized_values_data() {
        QTest::addColumn<QString>("kv");
        QTest::addColumn<int>("head_dim");
        for (const char* kv : {"nq4", "nq2", "nq3", "nq8", "lm3", "int4", "k=nq4,v=fp16,block=16",
                               "k=int2,v=lm8,block=128"}) {
            QTest::newRow(qPrintable(QString("%1 hd8").arg(kv))) << kv << 8;
            QTest::newRow(qPrintable(QString("%1 hd64").arg(kv))) << kv << 64;
        }
    }
    void attention_equals_attention_over_dequantized_values() {
        QFETCH(QString, kv);
        QFETCH(int, head_dim);
        const KvShape shape{2, 64, 4, head_dim};
        KvCache q(KvConfig::parse(kv.toStdString()), shape);
        // The reference keeps fp16 sides as they are and holds quantized sides' values in f32.
        KvConfig rc = KvConfig::parse(kv.toStdString());
        for (KvFormat* f : {&rc.k, &rc.v})
            if (f->quantized()) *f = KvFormat::f32();
        KvCache ref(rc, shape);
        const int n = 37;  // an odd number of tokens
        const auto rows = normal_values(size_t(2) * size_t(n) * 2 * size_t(shape.row(0)), 11, 2.f);
        std::vector<float> kd(static_cast<size_t>(shape.row(0))),
            vd(static_cast<size_t>(shape.row(0)));
        for (int l = 0; l < 2; ++l)
            for (int p = 0; p < n; ++p) {
                const float* k =
                    rows.data() + ((size_t(l) * n + size_t(p)) * 2) * size_t(shape.row(0));
                q.store(l, p, k, k + shape.row(0));
                q.side(KvKind::K).read(l, p, 0, shape.row(0), kd.data());
                q.side(KvKind::V).read(l, p, 0, shape.row(0), vd.data());
                ref.store(l, p, kd.data(), vd.data());
            }
        const auto query = normal_values(size_t(head_dim), 3);
        const auto w = normal_values(size_t(n), 4);
        for (int l = 0; l < 2; ++l)
            for (int h = 0; h < 4; ++h) {
                std::vector<float> s1(static_cast<size_t>(n)), s2(static_cast<size_t>(n));
                q.key_dots(l, h, query.data(), n, s1.data());
                ref.key_dots(l, h, query.data(), n, s2.data());
                for (int p = 0; p < n; ++p)
                    QVERIFY(std::abs(s1[size_t(p)] - s2[size_t(p)]) <=
                            1e-5 * (1 + std::abs(s2[size_t(p)])));
                std::vector<float> o1(static_cast<size_t>(head_dim), 0.f),
                    o2(static_cast<size_t>(head_dim), 0.f);
                q.value_sum(l, h, w.data(), n, o1.data());
                ref.value_sum(l, h, w.data(), n, o2.data());
                for (int i = 0; i < head_dim; ++i)
                    QVERIFY(std::abs(o1[size_t(i)] - o2[size_t(i)]) <=
                            1e-5 * (1 + std::abs(o2[size_t(i)])));
                // A window [from, n): the same scores as the full range, and the sum over it.
                const int from = 13;
                std::vector<float> s3(static_cast<size_t>(n - from));
                q.key_dots(l, h, query.data(), from, n - from, s3.data());
                for (int p = from; p < n; ++p) QCOMPARE(s3[size_t(p - from)], s1[size_t(p)]);
                std::vector<float> w0 = w, o3(static_cast<size_t>(head_dim), 0.f),
                                   o4(static_cast<size_t>(head_dim), 0.f);
                std::fill(w0.begin(), w0.begin() + from, 0.f);
                q.value_sum(l, h, w0.data(), n, o3.data());
                q.value_sum(l, h, w.data() + from, from, n - from, o4.data());
                for (int i = 0; i < head_dim; ++i)
                    QVERIFY(std::abs(o3[size_t(i)] - o4[size_t(i)]) <=
                            1e-5 * (1 + std::abs(o3[size_t(i)])));
            }
    }

    void memory_accounting_matches_the_formula() {
        // DESIGN.md: 2 (K,V) x layers x kv_heads x head_dim x bits/8, plus one fp16 scale per
        // block.
        for (const char* kv : {"fp16", "f32", "nq2", "nq3", "nq4", "nq8", "lm2", "int3",
                               "k=nq4,v=nq2", "k=fp16,v=int8,block=16"})
            for (const KvShape& sh :
                 {KvShape{5, 10, 4, 8}, KvShape{2, 10, 4, 32}, KvShape{3, 10, 8, 128}}) {
                const KvConfig c = KvConfig::parse(kv);
                const int row = sh.row(0), B = effective_block(c.block, row);
                auto side = [&](const KvFormat& f) -> size_t {
                    if (!f.quantized()) return size_t(row) * size_t(f.bits) / 8;
                    return size_t(row) * size_t(f.bits) / 8 + size_t(row / B) * 2;
                };
                const size_t want = size_t(sh.n_layer) * (side(c.k) + side(c.v));
                KvCache cache(c, sh);
                const KvStats s = cache.stats(7, 1 << 20);
                QCOMPARE(s.bytes_per_token, want);
                QCOMPARE(s.bytes_used, want * 7);
                QCOMPARE(s.bytes_allocated, want * 10);
                QCOMPARE(s.fp16_equivalent_bytes,
                         size_t(2) * size_t(sh.n_layer) * size_t(row) * 2 * 7);
                QCOMPARE(s.capacity_in_budget, size_t(1 << 20) / want);
            }
        const KvStats nq4 = KvCache(KvConfig::parse("nq4"), KvShape{1, 1, 8, 128}).stats(0);
        QCOMPARE(nq4.bits_per_value_k(), 4.25);
    }

    // Layers that keep a ring of positions (sliding windows): each layer's held tokens count,
    // and a budget's context grows once the rings are paid for.
    void ringed_layers_count_their_ring() {
        KvShape sh{4, 100, 2, 16};
        sh.window = 6;
        sh.ring = 10;
        sh.windowed = {true, false, true, true};
        KvCache cache(KvConfig::parse("nq4"), sh);
        const size_t layer = cache.bytes_per_token() / 4;
        const KvStats s = cache.stats(25, 60 * layer);
        QCOMPARE(s.bytes_used, (25 + 3 * 10) * layer);
        QCOMPARE(s.bytes_allocated, (100 + 3 * 10) * layer);
        QCOMPARE(s.layer_tokens, (std::vector<int>{10, 25, 10, 10}));
        QCOMPARE(s.ringed_layers, 3);
        QCOMPARE(s.capacity_in_budget, size_t(60 - 30));  // 30 tokens of the full layer
        QCOMPARE(kv_tokens_in_budget(20 * layer, layer, 3 * layer, 10, 99),
                 size_t(5));  // rings unfilled
        QCOMPARE(kv_tokens_in_budget(40 * layer, 0, 4 * layer, 10, 99), size_t(99));  // all ringed
        QCOMPARE(kv_tokens_in_budget(39 * layer, 0, 4 * layer, 10, 99), size_t(9));
        QCOMPARE(kv_tokens_in_budget(40 * layer, 4 * layer, 0, 10, 99), size_t(10));
        QCOMPARE(kv_tokens_in_budget(40 * layer, 3 * layer, layer, 0, 99), size_t(10));  // no ring

        // Positions live in slot p % ring; a stored row reads back after the ring wrapped.
        std::vector<float> row(size_t(sh.row(0)));
        for (int p = 0; p < 25; ++p) {
            for (size_t i = 0; i < row.size(); ++i) row[i] = float(p) + 0.01f * float(i);
            for (int l = 0; l < 4; ++l) cache.store(l, p, row.data(), row.data());
        }
        std::vector<float> back(size_t(sh.row(0)));
        cache.side(KvKind::V).read(0, 23, 0, sh.row(0), back.data());
        QVERIFY(std::abs(back[3] - 23.03f) < 0.5f);
        QVERIFY(cache.holds(0, 15) && !cache.holds(0, 14) && cache.holds(1, 0));
        QCOMPARE(cache.keepable(25), 25);
        QCOMPARE(cache.keepable(21), 21);  // needs 15..20: held
        QCOMPARE(cache.keepable(20), 0);   // needs 14..19: 14 was overwritten by 24
        // Scores and value sums over a window that wraps the ring's end equal those over a flat
        // cache bit for bit (heads of 16 values, and of 8, which the vector kernels pair).
        for (const int hd : {16, 8}) {
            KvShape ringed_shape{4, 100, 2, hd};
            ringed_shape.window = 6;
            ringed_shape.ring = 10;
            ringed_shape.windowed = {true, false, true, true};
            KvShape flat_shape = ringed_shape;
            flat_shape.ring = 0;
            KvCache ringed(KvConfig::parse("nq4"), ringed_shape),
                flat(KvConfig::parse("nq4"), flat_shape);
            std::vector<float> r(size_t(ringed_shape.row(2)));
            for (int p = 0; p < 25; ++p) {
                for (size_t i = 0; i < r.size(); ++i) r[i] = std::sin(float(p * 7 + int(i)));
                ringed.store(2, p, r.data(), r.data());
                flat.store(2, p, r.data(), r.data());
            }
            std::vector<float> q(static_cast<size_t>(hd)), a(7), b(7), oa(q.size(), 0.25f), ob = oa;
            for (int i = 0; i < hd; ++i) q[size_t(i)] = 0.3f + 0.05f * float(i);
            ringed.key_dots(2, 1, q.data(), 17, 7, a.data());  // slots 7, 8, 9, then 0 to 3
            flat.key_dots(2, 1, q.data(), 17, 7, b.data());
            QCOMPARE(a, b);
            ringed.value_sum(2, 0, q.data(), 17, 7, oa.data());
            flat.value_sum(2, 0, q.data(), 17, 7, ob.data());
            QCOMPARE(oa, ob);
        }
    }

    void fewer_bits_give_more_context_at_equal_memory() {
        const KvShape sh{32, 1, 8, 128};  // a Llama-2-style KV row of 1024 values
        const size_t fp16 = KvCache(KvConfig::parse("fp16"), sh).bytes_per_token();
        const size_t nq4 = KvCache(KvConfig::parse("nq4"), sh).bytes_per_token();
        const size_t nq2 = KvCache(KvConfig::parse("nq2"), sh).bytes_per_token();
        qInfo("context gain at equal memory: nq4 %.2fx, nq2 %.2fx", double(fp16) / nq4,
              double(fp16) / nq2);
        QVERIFY(double(fp16) / nq4 >= 3.7);
        QVERIFY(double(fp16) / nq2 >= 7.0);
    }

    void block_inspection() {
        const KvShape sh{2, 8, 2, 32};
        KvCache c(KvConfig::parse("k=nq4,v=int2,block=32"), sh);
        c.set_capture(true);
        QCOMPARE(c.capture_tokens(), 8);
        const auto rows = normal_values(size_t(4) * size_t(sh.row(0)), 8);
        c.store(1, 3, rows.data(), rows.data() + sh.row(0));
        const BlockView b = c.block(1, 3, KvKind::K, 1);
        QCOMPARE(b.format, std::string("nq4"));
        QCOMPARE(b.size, 32);
        QCOMPARE(b.first, 32);
        QVERIFY(b.has_original);
        QCOMPARE(int(b.levels.size()), 16);
        double mse = 0, mx = 0;
        for (int i = 0; i < 32; ++i) {
            QCOMPARE(b.original[size_t(i)], rows[size_t(32 + i)]);
            QCOMPARE(b.dequantized[size_t(i)], b.levels[size_t(b.codes[size_t(i)])] * b.scale);
            const double e = b.original[size_t(i)] - b.dequantized[size_t(i)];
            mse += e * e / 32;
            mx = std::max(mx, std::abs(e));
        }
        QVERIFY(std::abs(b.mse - mse) < 1e-12);
        QCOMPARE(b.max_error, mx);
        QCOMPARE(int(c.block(1, 3, KvKind::V, 0).levels.size()), 4);
        QVERIFY(!c.block(0, 3, KvKind::K, 0).has_original);  // that row was never stored
        QVERIFY_THROWS_EXCEPTION(Error, c.block(2, 0, KvKind::K, 0));
        QVERIFY_THROWS_EXCEPTION(Error, c.block(0, 0, KvKind::K, 2));
        c.set_capture(true, 100);  // a cap too small for one token captures nothing
        QCOMPARE(c.capture_tokens(), 0);
    }

    void configuration_parsing() {
        QCOMPARE(KvConfig::parse("nq4").name(), std::string("nq4"));
        QCOMPARE(KvConfig::parse("k=nq4,v=nq2,block=32").name(),
                 std::string("k=nq4,v=nq2,block=32"));
        QCOMPARE(KvConfig::parse("k=lm3").name(), std::string("k=lm3,v=fp16"));
        QCOMPARE(effective_block(64, 32), 32);
        QCOMPARE(effective_block(64, 96), 32);
        QCOMPARE(effective_block(128, 1024), 128);
        std::string msg;
        try {
            KvConfig::parse("nq5");
        } catch (const Error& e) {
            msg = e.what();
        }
        QVERIFY(msg.find("--kv: unknown KV format \"nq5\"") == 0);
        QVERIFY_THROWS_EXCEPTION(Error, KvConfig::parse("nq4,block=48"));
        QVERIFY_THROWS_EXCEPTION(Error, KvConfig::parse("q=nq4"));
        QCOMPARE(parse_byte_size("64M", "--kv-mem"), size_t(64) << 20);
        QCOMPARE(parse_byte_size("1G", "--kv-mem"), size_t(1) << 30);
        QVERIFY_THROWS_EXCEPTION(Error, parse_byte_size("lots", "--kv-mem"));
        for (const char* huge : {"1e400", "inf", "1e30G", "1e16"}) {  // refused, not wrapped
            QString said;
            try {
                parse_byte_size(huge, "--kv-mem");
            } catch (const Error& e) {
                said = e.what();
            }
            QVERIFY2(said.contains("is too large"), huge);
        }
        QVERIFY_THROWS_EXCEPTION(Error, parse_byte_size("0.1", "--kv-mem"));  // not one byte
        QVERIFY_THROWS_EXCEPTION(Error, parse_byte_size("nan", "--kv-mem"));
    }
};

QTEST_GUILESS_MAIN(TestNqkv)
#include "test_nqkv.moc"
