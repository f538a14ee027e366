// The GGUF writer and reader round-trip every value type, nested arrays and alignments.
#include <cstring>
#include <fstream>

#include "engine/error.h"
#include "engine/gguf_file.h"
#include "engine/gguf_writer.h"
#include "tests/test_support.h"

using namespace nqkv;

class TestGguf : public QObject {
    Q_OBJECT

    static std::string write(const GgufWriter& w) {
        const std::string path = test::temp_dir() + "/t.gguf";
        w.write(path);
        return path;
    }

  private slots:
    void every_value_type_round_trips() {
        GgufWriter w;
        w.set("u8", {GgufType::U8, GgufType::U32, uint64_t(200)});
        w.set("i8", {GgufType::I8, GgufType::U32, int64_t(-100)});
        w.set("u16", {GgufType::U16, GgufType::U32, uint64_t(60000)});
        w.set("i16", {GgufType::I16, GgufType::U32, int64_t(-30000)});
        w.set("u32", GgufValue::u32(4000000000u));
        w.set("i32", GgufValue::i32(-2000000000));
        w.set("u64", GgufValue::u64(1ull << 60));
        w.set("i64", {GgufType::I64, GgufType::U32, int64_t(-(1ll << 60))});
        w.set("f32", GgufValue::f32(1.5f));
        w.set("f64", {GgufType::F64, GgufType::U32, 2.25});
        w.set("bool", GgufValue::boolean(true));
        w.set("str", GgufValue::str("h\xC3\xA9llo"));
        w.set("nested",
              GgufValue::array(
                  GgufType::ARRAY,
                  {GgufValue::array(GgufType::I32, {GgufValue::i32(1), GgufValue::i32(-2)}),
                   GgufValue::array(GgufType::STRING, {GgufValue::str("a")})}));
        const GgufFile f = GgufFile::open(write(w));
        QCOMPARE(f.version(), 3u);
        QCOMPARE(*f.get_int("u8"), 200);
        QCOMPARE(*f.get_int("i8"), -100);
        QCOMPARE(*f.get_int("u16"), 60000);
        QCOMPARE(*f.get_int("i16"), -30000);
        QCOMPARE(*f.get_int("u32"), 4000000000ll);
        QCOMPARE(*f.get_int("i32"), -2000000000);
        QCOMPARE(*f.get_int("u64"), int64_t(1ull << 60));
        QCOMPARE(*f.get_int("i64"), -(1ll << 60));
        QCOMPARE(*f.get_float("f32"), 1.5);
        QCOMPARE(*f.get_float("f64"), 2.25);
        QCOMPARE(*f.get_bool("bool"), true);
        QCOMPARE(*f.get_string("str"), std::string("h\xC3\xA9llo"));
        const GgufValue* n = f.find("nested");
        QVERIFY(n && n->as_array() && n->as_array()->size() == 2);
        QCOMPARE(n->elem_type, GgufType::ARRAY);
        const auto& inner = *(*n->as_array())[0].as_array();
        QCOMPARE(*inner[1].as_int(), -2);
        QCOMPARE(*(*(*n->as_array())[1].as_array())[0].as_string(), std::string("a"));
        QVERIFY(!f.find("missing"));
        QVERIFY_THROWS_EXCEPTION(Error, f.require_int("missing"));
        QVERIFY_THROWS_EXCEPTION(Error, f.get_int("str"));
    }

    void tensors_round_trip_with_alignment_data() {
        QTest::addColumn<int>("alignment");
        QTest::newRow("32") << 32;
        QTest::newRow("64") << 64;
        QTest::newRow("256") << 256;
    }
    void tensors_round_trip_with_alignment() {
        QFETCH(int, alignment);
        GgufWriter w{static_cast<uint32_t>(alignment)};
        w.set("general.architecture", GgufValue::str("llama"));
        std::vector<float> a{1, 2, 3}, b(64);
        for (size_t i = 0; i < b.size(); ++i) b[i] = float(i) * 0.5f;
        w.add_f32("a", {3}, a);
        w.add_f32("b", {16, 4}, b);
        const GgufFile f = GgufFile::open(write(w));
        QCOMPARE(f.alignment(), uint64_t(alignment));
        QCOMPARE(f.data_offset() % uint64_t(alignment), 0u);
        const GgufTensorInfo* tb = f.tensor("b");
        QVERIFY(tb);
        QCOMPARE(tb->dims, (std::vector<uint64_t>{16, 4}));
        QCOMPARE(tb->rows(), 4u);
        QCOMPARE(tb->offset % uint64_t(alignment), 0u);
        QVERIFY(std::memcmp(tb->data, b.data(), b.size() * 4) == 0);
        QVERIFY(std::memcmp(f.tensor("a")->data, a.data(), 12) == 0);
    }

    void reads_version_2() {
        GgufWriter w;
        w.set("k", GgufValue::u32(7));
        std::vector<uint8_t> bytes = w.serialize();
        bytes[4] = 2;  // v2 has the same layout as v3 for little-endian files
        const std::string path = test::temp_dir() + "/v2.gguf";
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<char*>(bytes.data()), long(bytes.size()));
        const GgufFile f = GgufFile::open(path);
        QCOMPARE(f.version(), 2u);
        QCOMPARE(*f.get_int("k"), 7);
    }

    void writer_rejects_wrong_sizes() {
        GgufWriter w;
        QVERIFY_THROWS_EXCEPTION(
            Error, w.add_tensor("x", TensorType::Q8_0, {32}, std::vector<uint8_t>(33)));
        QVERIFY_THROWS_EXCEPTION(
            Error, w.add_tensor("y", TensorType::Q8_0, {31}, std::vector<uint8_t>(34)));
    }

    void real_files_parse() {
        NQKV_REQUIRE_SHARED(path, "models/llama-synth-256.Q4_K_M.gguf");
        const GgufFile f = GgufFile::open(path);
        QCOMPARE(f.tensors().size(), size_t(20));
        QCOMPARE(f.metadata().size(), size_t(24));
        QCOMPARE(f.tensor("blk.1.attn_v.weight")->type, TensorType::Q6_K);
        QCOMPARE(f.tensor("blk.0.attn_q.weight")->type, TensorType::Q4_K);
        QCOMPARE(f.require_array("tokenizer.ggml.tokens", GgufType::STRING).size(), size_t(32000));
    }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "test_gguf.moc"
