// Pictures for Gemma 3: the preprocessing (Pillow's bilinear filter, the letterbox), the mmproj
// reader, the vision encoder against a float64 pass, rows read in place of tokens (whole, in
// one batch, both ways), going back around them, llama.cpp's logits for a tiny pair, and the
// command line (generate, chat, ar, kv-stats, kv-block, bench, info).
#include <QProcess>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "app/common/picture_file.h"
#include "app/common/projector_file.h"
#include "engine/backend.h"
#include "engine/chat_session.h"
#include "engine/cpu_kernels.h"
#include "engine/error.h"
#include "engine/gguf_writer.h"
#include "engine/llama_model.h"
#include "engine/picture_prompt.h"
#include "engine/vision_encoder.h"
#include "tests/naive_vision.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"
#include "tests/tiny_vision.h"

using namespace nqkv;

namespace {

RgbImage strip(std::vector<uint8_t> grey) {  // one row, the same value in R, G and B
    RgbImage img;
    img.width = int(grey.size());
    img.height = 1;
    for (uint8_t g : grey) img.pixels.insert(img.pixels.end(), {g, g, g});
    return img;
}

std::vector<int> reds(const RgbImage& img) {
    std::vector<int> out;
    for (size_t i = 0; i < img.pixels.size(); i += 3) out.push_back(img.pixels[i]);
    return out;
}

// The tests' Gemma 3 with seed 5 (the one llama.cpp's logits were taken for).
test::TinySpec gemma3(int layers = 3, int window = 8) {
    test::TinySpec s = test::tiny_gemma3(layers, window);
    s.seed = 5;
    return s;
}

test::TinyVision vision() {
    test::TinyVision v;
    v.seed = 15;
    return v;
}

const char* kPrompt = "Some text first, then <__media__> and after it more words to read";

struct Pair {
    std::unique_ptr<LlamaModel> lm;
    std::unique_ptr<VisionModel> vm;
    std::shared_ptr<const InputRows> rows;
    PicturePrompt prompt;
};

Pair pair(const test::TinySpec& spec = gemma3()) {
    Pair p;
    p.lm = LlamaModel::load(test::write_tiny_model(spec));
    p.vm = VisionModel::load(test::write_tiny_vision(vision()));
    p.rows = VisionEncoder(*p.vm, 2).rows(test::tiny_picture(40, 30, 25));
    p.prompt = tokenize_with_pictures(p.lm->tokenizer(), kPrompt, {p.rows}, true);
    return p;
}

std::vector<float> logits_of(const Pair& p, const ContextParams& cp, bool all = false) {
    auto ctx = make_cpu_backend()->create_context(*p.lm, cp);
    ctx->set_rows(p.prompt.pictures);
    const int n = int(p.prompt.ids.size());
    std::vector<float> out(size_t(all ? n : 1) * size_t(p.lm->hparams().n_vocab));
    ctx->eval(p.prompt.ids.data(), n, out.data(), all);
    return out;
}

ContextParams params(int n_batch = 512) {
    ContextParams cp;
    cp.n_ctx = 256;
    cp.n_threads = 2;
    cp.n_batch = n_batch;
    return cp;
}

}  // namespace

class TestVision : public QObject {
    Q_OBJECT

  private slots:
    // Pillow's bilinear filter, worked by hand: shrinking by 2 averages over a triangle two
    // pixels wide (weights 3:3:1 and 1:3:3), growing by 2 interpolates between centres.
    void resize_follows_pillow() {
        QCOMPARE(reds(resize_bilinear(strip({0, 100, 200, 255}), 2, 1)),
                 (std::vector<int>{71, 209}));
        QCOMPARE(reds(resize_bilinear(strip({0, 200}), 4, 1)), (std::vector<int>{0, 50, 150, 200}));
        const RgbImage img = test::tiny_picture(13, 7, 3);
        QCOMPARE(resize_bilinear(img, 13, 7).pixels, img.pixels);
        QVERIFY(!test::error_of([&] { resize_bilinear(img, 0, 5); }).isEmpty());
        QVERIFY(test::error_of([&] { resize_bilinear(RgbImage{}, 4, 4); }).contains("not an RGB"));
    }

    // The long edge fills the square, the short one is rounded up and centred on black.
    void fit_square_letterboxes() {
        RgbImage wide;
        wide.width = 40;
        wide.height = 20;
        wide.pixels.assign(40 * 20 * 3, 200);
        const RgbImage out = fit_square(wide, 32);
        QCOMPARE(out.width, 32);
        QCOMPARE(out.height, 32);
        for (int y = 0; y < 32; ++y) {
            const uint8_t want = y >= 8 && y < 24 ? 200 : 0;  // 16 rows of picture, 8 above
            for (int x = 0; x < 32; ++x) QCOMPARE(out.pixels[size_t(y * 32 + x) * 3 + 1], want);
        }
        const float mean[3] = {0.5f, 0.f, 0.f}, sd[3] = {0.5f, 1.f, 2.f};
        const std::vector<float> planes = normalized_planes(strip({255, 0}), mean, sd);
        QCOMPARE(planes, (std::vector<float>{1.f, -1.f, 1.f, 0.f, 0.5f, 0.f}));
    }

    void projector_is_read() {
        const auto vm = VisionModel::load(test::write_tiny_vision(vision()));
        const VisionHParams& hp = vm->hparams();
        QCOMPARE(hp.projector, std::string("gemma3"));
        QCOMPARE(hp.patches_per_side(), 8);
        QCOMPARE(hp.n_tokens(), 16);  // 8 x 8 patches pooled 2 x 2
        QCOMPARE(hp.n_embd_text, 64);
        QCOMPARE(hp.head_size(), 16);
        QCOMPARE(hp.mean[1], 0.45f);
        QCOMPARE(hp.stddev[2], 0.6f);
        QCOMPARE(vm->input_proj().rows, int64_t(64));
        QCOMPARE(vm->patch_embd().cols, int64_t(48));
        QVERIFY(vm->n_params() > 10000);
    }

    void wrong_files_are_refused() {
        const std::string lm = test::write_tiny_model(gemma3());
        QVERIFY(test::error_of([&] { VisionModel::load(lm); }).contains("not a vision projector"));
        test::TinyVision llava = vision();
        llava.projector = "mlp";
        QVERIFY(test::error_of([&] {
                    VisionModel::load(test::write_tiny_vision(llava));
                }).contains("\"mlp\" is not supported yet"));
        const auto vm = VisionModel::load(test::write_tiny_vision(vision()));
        const auto llama = LlamaModel::load(test::write_tiny_model({}));
        QVERIFY(test::error_of([&] { vm->check_pairs_with(*llama); }).contains("is a llama model"));
        test::TinyVision narrow = vision();
        narrow.text_width = 32;
        const auto vm32 = VisionModel::load(test::write_tiny_vision(narrow));
        const auto g3 = LlamaModel::load(lm);
        QVERIFY(
            test::error_of([&] { vm32->check_pairs_with(*g3); }).contains("different model sizes"));
        vm->check_pairs_with(*g3);
    }

    // The encoder against the float64 pass, for a picture that is letterboxed and one that
    // fits; with Q8_0 layers the activations are rounded to 8-bit blocks, as for text.
    void encoder_matches_float64() {
        for (const TensorType type : {TensorType::F32, TensorType::Q8_0}) {
            test::TinyVision spec = vision();
            spec.matrix_type = type;
            spec.n_ff = 64;  // Q8_0 rows are whole blocks of 32
            const auto vm = VisionModel::load(test::write_tiny_vision(spec));
            VisionEncoder enc(*vm, 2);
            for (const RgbImage& img :
                 {test::tiny_picture(40, 30, 25), test::tiny_picture(32, 32, 4)}) {
                const std::vector<float> got = enc.encode(img);
                const std::vector<double> want = test::naive_vision(*vm, img);
                QCOMPARE(got.size(), want.size());
                double worst = 0, scale = 0;
                for (size_t i = 0; i < got.size(); ++i) {
                    worst = std::max(worst, std::abs(double(got[i]) - want[i]));
                    scale = std::max(scale, std::abs(want[i]));
                }
                const double tol = type == TensorType::F32 ? 1e-5 : 3e-2;
                QVERIFY2(
                    worst <= tol * scale,
                    qPrintable(
                        QString("%1: worst %2 of %3").arg(type_name(type)).arg(worst).arg(scale)));
            }
        }
    }

    void encoder_reports_progress_and_cancels() {
        const auto vm = VisionModel::load(test::write_tiny_vision(vision()));
        VisionEncoder enc(*vm, 1);
        std::vector<int> seen;
        const auto rows = enc.rows(test::tiny_picture(8, 8, 1), [&](int done, int total) {
            QCOMPARE(total, 2);
            seen.push_back(done);
        });
        QCOMPARE(seen, (std::vector<int>{0, 1, 2}));
        QVERIFY(rows && rows->bidirectional && rows->n == 16);
        const std::atomic<bool> stop{true};
        QVERIFY(!enc.rows(test::tiny_picture(8, 8, 1), {}, &stop));
    }

    // <start_of_image>, one placeholder per row (Gemma 3's soft token), <end_of_image>.
    void prompt_holds_the_picture() {
        const Pair p = pair();
        const Tokenizer& tok = p.lm->tokenizer();
        const std::vector<int> ids = p.prompt.ids;
        QCOMPARE(ids[0], tok.bos());
        QCOMPARE(p.prompt.pictures.size(), size_t(1));
        const int at = p.prompt.pictures[0].first;
        QCOMPARE(tok.piece(ids[size_t(at - 1)]), std::string("<start_of_image>"));
        for (int i = 0; i < 16; ++i)
            QCOMPARE(tok.piece(ids[size_t(at + i)]), std::string("<image_soft_token>"));
        QCOMPARE(tok.piece(ids[size_t(at + 16)]), std::string("<end_of_image>"));
        QVERIFY(test::error_of([&] {
                    tokenize_with_pictures(tok, "no marker", {p.rows}, true);
                }).contains("marks 0 picture(s)"));
    }

    // llama.cpp (its multimodal library, CPU, flash attention off) on the same files and picture.
    // Its patch convolution rounds pixels and kernels to fp16 and its GELU goes through an fp16
    // table, the engine stays in float: about 4e-4 apart in the rows, 5e-4 in the logits.
    void llama_cpp_agrees() {
        const QJsonObject ref =
            test::load_json(std::string(NQKV_TEST_DATA_DIR) + "/gemma3_picture_llamacpp.json");
        const Pair p = pair();
        std::vector<int> want = test::to_ints(ref["ids"]);
        const auto at = std::find(want.begin(), want.end(), -1) - want.begin();
        want.erase(want.begin() + at);
        want.insert(want.begin() + at, 16, p.prompt.ids[size_t(at)]);
        QCOMPARE(p.prompt.ids, want);
        const std::vector<double> rows = test::to_doubles(ref["rows_first_48"]);
        for (size_t i = 0; i < rows.size(); ++i)
            QVERIFY(std::abs(p.rows->data[i] - rows[i]) < 3e-3);
        double sum = 0;
        for (float v : p.rows->data) sum += std::abs(v);
        QVERIFY(std::abs(sum - ref["rows_sum_abs"].toDouble()) < 1e-3 * sum);
        const std::vector<double> logits = test::to_doubles(ref["logits"]);
        const std::vector<float> got = logits_of(p, params());
        QCOMPARE(got.size(), logits.size());
        size_t best = 0;
        for (size_t i = 0; i < got.size(); ++i) {
            QVERIFY2(std::abs(got[i] - logits[i]) < 3e-3, qPrintable(QString::number(i)));
            if (logits[i] > logits[best]) best = i;
        }
        QCOMPARE(size_t(std::max_element(got.begin(), got.end()) - got.begin()), best);
    }

    // Rows that are the tokens' own (scaled) embeddings, read causally, give the tokens'
    // logits exactly: the rows go in where the tokens would, unscaled.
    void rows_stand_in_for_tokens() {
        const auto lm = LlamaModel::load(test::write_tiny_model(gemma3()));
        const std::vector<int> ids =
            lm->tokenizer().encode("Tom found a red ball in the park", true);
        const int d = lm->hparams().n_embd, n = int(ids.size()), V = lm->hparams().n_vocab;
        auto rows = std::make_shared<InputRows>();
        rows->n = 4;
        rows->data.resize(size_t(4 * d));
        const WeightMatrix& emb = lm->token_embd();
        for (int t = 0; t < 4; ++t) {
            float* x = &rows->data[size_t(t * d)];
            cpu_kernels().dequant_row(emb.info->type, emb.row(ids[size_t(2 + t)]), x, d);
            for (int i = 0; i < d; ++i) x[i] *= lm->hparams().embd_scale;
        }
        std::vector<float> plain(size_t(n) * size_t(V)), with(plain.size());
        make_cpu_backend()->create_context(*lm, params())->eval(ids.data(), n, plain.data(), true);
        auto ctx = make_cpu_backend()->create_context(*lm, params());
        ctx->set_rows({{2, rows}});
        std::vector<int> holes = ids;
        for (int t = 2; t < 6; ++t)
            holes[size_t(t)] = 0;  // what the placeholders are does not matter
        ctx->eval(holes.data(), n, with.data(), true);
        QCOMPARE(with, plain);
    }

    // Read both ways, the rows see the rows after them; the last row sees nothing more, so with
    // one layer its logits are the causal ones, the others' are not.
    void bidirectional_rows_see_ahead() {
        Pair p = pair(gemma3(1, 0));
        const int at = p.prompt.pictures[0].first, V = p.lm->hparams().n_vocab;
        const std::vector<float> both = logits_of(p, params(), true);
        auto causal = std::make_shared<InputRows>(*p.rows);
        causal->bidirectional = false;
        p.prompt.pictures[0].second = causal;
        const std::vector<float> one = logits_of(p, params(), true);
        const auto row = [&](const std::vector<float>& l, int t) {
            return std::vector<float>(l.begin() + long(t) * V, l.begin() + long(t + 1) * V);
        };
        QCOMPARE(row(both, at + 15), row(one, at + 15));
        QVERIFY(row(both, at) != row(one, at));
        QCOMPARE(row(both, at - 1), row(one, at - 1));  // the text before is causal either way
    }

    // Windowed layers keep a ring of window + batch positions; a picture read in a batch just
    // its size gives the logits of a flat cache.
    void rings_hold_a_whole_picture() {
        const Pair p = pair();
        QCOMPARE(logits_of(p, params(16)), logits_of(p, params()));
        QVERIFY(test::error_of([&] { logits_of(p, params(8)); }).contains("raise it"));
    }

    void going_back_keeps_pictures_whole() {
        const Pair p = pair();
        const int at = p.prompt.pictures[0].first, n = int(p.prompt.ids.size());
        const std::vector<float> fresh = logits_of(p, params());
        auto ctx = make_cpu_backend()->create_context(*p.lm, params());
        ctx->set_rows(p.prompt.pictures);
        std::vector<float> l(size_t(p.lm->hparams().n_vocab));
        ctx->eval(p.prompt.ids.data(), n, l.data());
        QCOMPARE(ctx->keepable(at + 5), at);
        QCOMPARE(ctx->keepable(at + 16), at + 16);
        QCOMPARE(ctx->keepable(at - 1), at - 1);
        ctx->truncate(ctx->keepable(at + 5));
        QCOMPARE(ctx->n_past(), at);
        ctx->eval(p.prompt.ids.data() + at, n - at, l.data());
        QCOMPARE(l, fresh);
        ctx->set_rows(p.prompt.pictures);  // the same rows: the cache stays
        QCOMPARE(ctx->n_past(), n);
        auto other = std::make_shared<InputRows>(*p.rows);
        other->data[0] += 1;
        ctx->set_rows({{at, other}});  // other rows: forgotten from the picture on
        QCOMPARE(ctx->n_past(), at);
        ctx->truncate(at + 3);  // not through keepable: an eval must not start inside
        QVERIFY(test::error_of([&] {
                    ctx->eval(p.prompt.ids.data() + at + 3, 2, l.data());
                }).contains("read whole"));
        ctx->truncate(at - 2);
        QVERIFY(test::error_of([&] {
                    ctx->eval(p.prompt.ids.data() + at - 2, 6, l.data());
                }).contains("cut off"));
        QVERIFY(test::error_of([&] {
                    ctx->set_rows({{0, p.rows}, {8, p.rows}});
                }).contains("overlap"));
        auto narrow = std::make_shared<InputRows>();
        narrow->n = 2;
        narrow->data.resize(10);
        QVERIFY(test::error_of([&] { ctx->set_rows({{0, narrow}}); }).contains("64 wide"));
    }

    // A chat keeps its pictures: the next turn reuses the cache past them, a changed picture
    // is read again from where it starts, and the prompt holds each where its message begins.
    void chat_keeps_pictures() {
        const Pair p = pair();
        auto ctx = make_cpu_backend()->create_context(*p.lm, params());
        ChatSession chat(*p.lm, *ctx);
        GenerateParams gp;
        gp.max_tokens = 3;
        gp.sampling.temperature = 0;
        std::vector<ChatMessage> conv = {{"user", "What is this?", {p.rows}}};
        const PicturePrompt first = chat.tokenize(conv);
        QCOMPARE(first.pictures.size(), size_t(1));
        const int at = first.pictures[0].first;
        const GenerateResult r1 = chat.reply(conv, gp);
        QCOMPARE(r1.prompt_ids, first.ids);
        conv.push_back({"assistant", r1.text});
        conv.push_back({"user", "And the colours?"});
        chat.reply(conv, gp);
        QVERIFY(chat.reused_tokens() >= at + 16);
        auto other = std::make_shared<InputRows>(*p.rows);
        other->data[5] *= 2;
        conv[0].pictures = {other};
        chat.reply(conv, gp);
        QVERIFY(chat.reused_tokens() <= at);
        conv[2].content = "what <__media__> is";
        QVERIFY(test::error_of([&] { chat.reply(conv, gp); }).contains("marks where pictures go"));
        // Without pictures the marker is text like any other.
        QCOMPARE(chat.tokenize({{"user", "what <__media__> is"}}).pictures.size(), size_t(0));
    }

    // Without --mmproj, the one projector beside the model that fits it.
    void projector_beside_the_model() {
        namespace fs = std::filesystem;
        const fs::path dir = test::temp_dir();
        fs::copy_file(test::write_tiny_model(gemma3()), dir / "gemma.gguf");
        const auto lm = LlamaModel::load((dir / "gemma.gguf").string());
        QVERIFY(test::error_of([&] { app::projector_beside(*lm); }).contains("none that fits"));
        fs::copy_file(test::write_tiny_model({}), dir / "mmproj-not-one.gguf");
        test::TinyVision narrow = vision();
        narrow.text_width = 32;
        fs::copy_file(test::write_tiny_vision(narrow), dir / "mmproj-narrow.gguf");
        fs::copy_file(test::write_tiny_vision(vision()), dir / "mmproj-F32.gguf");
        QCOMPARE(app::projector_beside(*lm), (dir / "mmproj-F32.gguf").string());
        fs::copy_file(dir / "mmproj-F32.gguf", dir / "MMPROJ-copy.gguf");
        QVERIFY(test::error_of([&] {
                    app::projector_beside(*lm);
                }).contains("2 that fit it are beside the model"));
    }

    void picture_files() {
        const RgbImage img = test::tiny_picture(9, 5, 2);
        const std::string png = test::write_png(img);
        const RgbImage back = app::load_picture(png);
        QCOMPARE(back.width, 9);
        QCOMPARE(back.pixels, img.pixels);
        QVERIFY(test::error_of([] { app::load_picture("/no/such.png"); }).contains("cannot open"));
        const std::string junk = test::temp_dir() + "/junk.png";
        std::ofstream(junk) << "not a picture at all";
        QVERIFY(test::error_of([&] { app::load_picture(junk); }).contains("not a picture"));
        std::ifstream f(png, std::ios::binary);
        std::vector<unsigned char> bytes{std::istreambuf_iterator<char>(f), {}};
        bytes.resize(bytes.size() / 2);  // cut off
        QVERIFY(!test::error_of([&] {
                     app::decode_picture(bytes.data(), bytes.size(), "half");
                 }).isEmpty());
    }

    void command_line() {
        const std::string lm = test::write_tiny_model(gemma3());
        const std::string mm = test::write_tiny_vision(vision());
        const std::string png = test::write_png(test::tiny_picture(40, 30, 25));
        struct Out {
            int code;
            QString out, err;
        };
        const auto run = [](const QStringList& args) {
            QProcess p;
            p.start(QString::fromStdString(test::bin_dir() + "/nqkv"), args);
            p.waitForFinished(60000);
            return Out{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        };
        const QString L = QString::fromStdString(lm), M = QString::fromStdString(mm);
        const Out r =
            run({"generate", "-m", L, "--mmproj", M, "--image", QString::fromStdString(png), "-p",
                 kPrompt, "-n", "4", "--temp", "0", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o["prompt_ids"].toArray().size(), 36);  // 20 around the picture, its 16 rows
        QCOMPARE(o["generated_ids"].toArray().size(), 4);
        QVERIFY(r.err.contains("layer 2 of 2"));
        const Out c2 =
            run({"generate", "-m", L, "--image", QString::fromStdString(png), "-p", "x"});
        QVERIFY(c2.code != 0 && c2.err.contains("none that fits it is beside"));
        QProcess chat;
        chat.start(QString::fromStdString(test::bin_dir() + "/nqkv"),
                   {"chat", "-m", L, "--mmproj", M, "-n", "3", "--temp", "0"});
        chat.write(("/image " + png + "\nWhat is it?\n/image /no/such.png\n").c_str());
        chat.closeWriteChannel();
        QVERIFY(chat.waitForFinished(60000));
        const QString chat_err = chat.readAllStandardError();
        QCOMPARE(chat.exitCode(), 0);
        QVERIFY(chat_err.contains("[1 picture(s) go with the next message]"));
        QVERIFY(chat_err.contains("context 40 / 512"));  // the picture's 16 rows among them
        QVERIFY(chat_err.contains("/no/such.png: cannot open"));
        // AR-Sampling with a picture: the policy reads it, the PRM the words.
        const QString prm = QString::fromStdString(test::write_marker_prm('7'));
        const Out ar = run({"ar", "-m", L, "--prm", prm, "--mmproj", M, "--image",
                            QString::fromStdString(png), "-p", "What is <__media__> showing?",
                            "--max-tokens", "8", "--temp", "0", "--json"});
        QCOMPARE(ar.code, 0);
        QVERIFY(ar.err.contains("layer 2 of 2"));
        QCOMPARE(QJsonDocument::fromJson(ar.out.toUtf8()).object()["schema"].toString(),
                 QString("nqkv.ar-trace/1"));
        // The KV statistics and one block with the picture's rows in the cache; a context
        // that would cut the picture ends before it.
        const std::string text_file = test::temp_dir() + "/kv.txt";
        std::ofstream(text_file) << kPrompt;
        const Pair pr = pair();
        const PicturePrompt pp =
            tokenize_with_pictures(pr.lm->tokenizer(), kPrompt, {pr.rows}, true);
        const int at = pp.pictures[0].first;
        const QString T = QString::fromStdString(text_file), P = QString::fromStdString(png);
        // The bit-width comparison of a message with the picture: its 16 rows and the two
        // tokens around them in every configuration's prompt.
        const auto compared = [&](const QStringList& more) {
            const Out o = run(QStringList{"compare", "-m", L, "-p", "What is it?", "-n", "3",
                                          "--temp", "0", "--kv", "nq4", "--json"} +
                              more);
            return QJsonDocument::fromJson(o.out.toUtf8()).object();
        };
        const QJsonObject with = compared({"--mmproj", M, "--image", P});
        const QJsonObject without = compared({});
        QCOMPARE(with["pictures"].toInt(), 1);
        QCOMPARE(with["rows"].toArray().size(), 2);
        // The message as the app's chat renders it: the marker before its words.
        auto render_ctx = make_cpu_backend()->create_context(*pr.lm, params());
        ChatSession session(*pr.lm, *render_ctx);
        std::vector<ChatMessage> message{{"user", "What is it?"}};
        message[0].pictures = {pr.rows};
        const size_t want =
            tokenize_with_pictures(pr.lm->tokenizer(), session.render(message), {pr.rows}, true)
                .ids.size();
        QCOMPARE(with["prompt_tokens"].toInt(), int(want));
        QVERIFY(with["prompt_tokens"].toInt() >= without["prompt_tokens"].toInt() + 18);
        const auto kv_tokens = [&](const QString& ctx) {
            const Out o = run({"kv-stats", "-m", L, "--mmproj", M, "--image", P, "-f", T, "--ctx",
                               ctx, "--json"});
            return QJsonDocument::fromJson(o.out.toUtf8()).object()["tokens"].toInt();
        };
        QCOMPARE(kv_tokens("256"), int(pp.ids.size()));
        QCOMPARE(kv_tokens(QString::number(at + 5)), at);
        const Out block = run({"kv-block", "-m", L, "--mmproj", M, "--image", P, "-f", T, "--token",
                               QString::number(at + 3), "--json"});
        QVERIFY2(block.code == 0, qPrintable(block.err));
        // Another picture puts other K values there: the rows are read, not the placeholders.
        const QString other =
            QString::fromStdString(test::write_png(test::tiny_picture(40, 30, 26)));
        const Out other_block = run({"kv-block", "-m", L, "--mmproj", M, "--image", other, "-f", T,
                                     "--token", QString::number(at + 3), "--json"});
        QVERIFY(other_block.code == 0 && other_block.out != block.out);
        const Out bench = run({"bench", "--mmproj", M, "--reps", "2", "--json"});
        const QJsonObject bo = QJsonDocument::fromJson(bench.out.toUtf8()).object();
        QCOMPARE(bo["patches"].toInt(), 64);
        QVERIFY(bo["seconds_per_picture"].toDouble() > 0);
        const Out info = run({"info", "--mmproj", M, "--json"});
        const QJsonObject io = QJsonDocument::fromJson(info.out.toUtf8()).object();
        QCOMPARE(io["projector"].toString(), QString("gemma3"));
        QCOMPARE(io["tokens_per_picture"].toInt(), 16);
        QCOMPARE(io["text_width"].toInt(), 64);
        QVERIFY(run({"info", "--mmproj", M}).out.contains("16 tokens (patches pooled 2 x 2)"));
        QVERIFY(run({"info", "--mmproj", L}).err.contains("not a vision projector"));
        const Out c3 = run({"generate", "-m", L, "--mmproj", M, "-p", "x"});
        QVERIFY(c3.code != 0 && c3.err.contains("without a picture"));
    }
};

QTEST_GUILESS_MAIN(TestVision)
#include "test_vision.moc"
