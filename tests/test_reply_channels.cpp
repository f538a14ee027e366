// Reasoning apart from the answer: <think> replies and gpt-oss's harmony channels, whole and as
// they stream; templates that open the reasoning or can skip it; the harmony format's rendering,
// its vocabulary's markers and end tokens, and a chat on a gpt-oss model end to end.
#include <ctime>
#include <memory>
#include <random>

#include "engine/chat_session.h"
#include "engine/chat_template.h"
#include "engine/gguf_writer.h"
#include "engine/llama_model.h"
#include "engine/reply_channels.h"
#include "tests/model_checks.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;
using test::model_with_template;

namespace {

const std::string kHarmonyReply =
    "<|channel|>analysis<|message|>User asks 2+3. That is 5.<|end|>"
    "<|start|>assistant<|channel|>final<|message|>It is **5**.";

// Every piece of a reply fed in chunks of random sizes: what comes out, put together.
ReplyParts streamed(const std::string& text, uint32_t seed) {
    std::mt19937 rng(seed);
    ReplyStream s;
    ReplyParts all;
    for (size_t i = 0; i < text.size();) {
        const size_t n = std::min(text.size() - i, size_t(1 + rng() % 5));
        const ReplyParts d = s.feed(std::string_view(text).substr(i, n));
        all.reasoning += d.reasoning;
        all.answer += d.answer;
        i += n;
    }
    const ReplyParts d = s.finish();
    all.reasoning += d.reasoning;
    all.answer += d.answer;
    return all;
}

std::string today() {
    char date[16] = "";
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    std::strftime(date, sizeof date, "%Y-%m-%d", &local);
    return date;
}

const std::vector<std::string> kHarmonyControls = {"<|return|>",   "<|call|>",    "<|end|>",
                                                   "<|start|>",    "<|channel|>", "<|message|>",
                                                   "<|constrain|>"};

}  // namespace

class TestReplyChannels : public QObject {
    Q_OBJECT

  private slots:
    void think_replies_are_split() {
        const auto check = [](const std::string& reply, const char* reasoning, const char* answer) {
            const ReplyParts p = split_reply(reply);
            QCOMPARE(p.reasoning, std::string(reasoning));
            QCOMPARE(p.answer, std::string(answer));
        };
        check("<think>\nAdd them: 5.\n</think>\n\nIt is 5.", "Add them: 5.\n", "It is 5.");
        check("\n<think>x</think>y", "x", "y");
        check("<think>cut off while thinking", "cut off while thinking", "");
        check("No reasoning at all.", "", "No reasoning at all.");
        check("It says <think> later", "", "It says <think> later");
        check("", "", "");
        // Magistral's and Ministral 3's markers; each block closes with its own kind.
        check("[THINK]Add them: 5.[/THINK]It is 5.", "Add them: 5.", "It is 5.");
        check("[THINK]a </think> b[/THINK] c", "a </think> b", "c");
        check("<think>a [/THINK] b</think>c", "a [/THINK] b", "c");
        check("[THINK]cut off", "cut off", "");
        // Seed-OSS's.
        check("<seed:think>Add them: 5.</seed:think>It is 5.", "Add them: 5.", "It is 5.");
        check("<seed:think>a </think> b</seed:think>c", "a </think> b", "c");
        // Gemma 4's thought channel; its empty one (thinking off) leaves the answer alone.
        check("<|channel>thought\nAdd them: 5.<channel|>It is 5.", "Add them: 5.", "It is 5.");
        check("<|channel>thought\n<channel|>It is 5.", "", "It is 5.");
        check("<|channel>thought\ncut off", "cut off", "");
    }

    void harmony_replies_are_split() {
        const auto check = [](const std::string& reply, const char* reasoning, const char* answer) {
            const ReplyParts p = split_reply(reply);
            QCOMPARE(p.reasoning, std::string(reasoning));
            QCOMPARE(p.answer, std::string(answer));
        };
        check(kHarmonyReply, "User asks 2+3. That is 5.", "It is **5**.");
        // Two reasoning messages (one a tool preamble), then the answer.
        check(
            "<|channel|>analysis<|message|>A<|end|><|start|>assistant<|channel|>commentary "
            "to=functions.f <|constrain|>json<|message|>B<|end|><|start|>assistant<|channel|>"
            "final<|message|>C",
            "A\n\nB", "C");
        check("<|channel|>analysis<|message|>still thinking", "still thinking", "");
        check("<|channel|>analysis<|message|>done<|end|><|start|>assistant<|chan", "done", "");
        check("A reply without channels.", "", "A reply without channels.");
        check("<|chan", "", "<|chan");  // a whole reply that only looks like the start of one
    }

    // However a reply is cut into pieces, the parts that stream out are the whole reply's, and
    // no half-written marker is ever shown.
    void streams_give_the_whole_replys_parts() {
        const std::vector<std::string> replies = {
            "<think>\nAdd them: 5.\n</think>\n\nIt is 5.",
            "<think>a </thin b</think>c",
            "  plain answer with </think> in it",
            "<thi",
            kHarmonyReply,
            kHarmonyReply + "<|en",
            "<|channel|>analysis<|message|>a <|e b<|end|>",
            "<|cha",
            "plain",
            "[THINK]x [/THI y[/THINK]z",
            "[THI",
            "<|channel>thought\nx <chann y<channel|>z",
            "<|chan",
        };
        for (const std::string& reply : replies)
            for (uint32_t seed = 1; seed <= 20; ++seed) {
                const ReplyParts got = streamed(reply, seed), want = split_reply(reply);
                QCOMPARE(got.reasoning, want.reasoning);
                QCOMPARE(got.answer, want.answer);
            }
        ReplyStream s;
        QCOMPARE(s.feed("<think>abc</thi").reasoning, std::string("abc"));
        QCOMPARE(s.feed("nk>\n\nSo").answer, std::string("So"));
        ReplyStream h;
        QCOMPARE(h.feed("<|channel|>analysis<|message|>x<|e").reasoning, std::string("x"));
        QCOMPARE(h.feed("nd|><|start|>assistant<|channel|>final<|message|>y").answer,
                 std::string("y"));
        QCOMPARE(h.text(), std::string("<|channel|>analysis<|message|>x<|end|><|start|>assistant"
                                       "<|channel|>final<|message|>y"));
    }

    // gpt-oss's own template without tools: the fixed system message, the system prompt as the
    // developer's instructions, earlier replies as final messages without their reasoning.
    void harmony_renders_as_the_models_template() {
        const std::vector<ChatMessage> m = {{"system", "Be brief."},
                                            {"user", "What is 2+3?"},
                                            {"assistant", kHarmonyReply},
                                            {"user", "And 4+4?"}};
        const std::string before = today();
        const std::string text = render_chat(ChatFormat::GptOss, m, true);
        const auto want = [&](const std::string& date) {
            return "<|start|>system<|message|>You are ChatGPT, a large language model trained by "
                   "OpenAI.\nKnowledge cutoff: 2024-06\nCurrent date: " +
                   date +
                   "\n\nReasoning: medium\n\n# Valid channels: analysis, commentary, final. "
                   "Channel must be included for every message.<|end|>"
                   "<|start|>developer<|message|># Instructions\n\nBe brief.\n\n<|end|>"
                   "<|start|>user<|message|>What is 2+3?<|end|>"
                   "<|start|>assistant<|channel|>final<|message|>It is **5**.<|end|>"
                   "<|start|>user<|message|>And 4+4?<|end|><|start|>assistant";
        };
        QVERIFY(text == want(before) || text == want(today()));  // midnight may pass
        QVERIFY(render_chat(ChatFormat::GptOss, {{"user", "Hi"}}, true).find("developer") ==
                std::string::npos);
        ChatRenderOptions low;
        low.reasoning_effort = "low";
        QVERIFY(render_chat(ChatFormat::GptOss, m, true, low).find("\n\nReasoning: low\n\n") !=
                std::string::npos);
        low.reasoning_effort = "max";
        QVERIFY(test::error_of([&] {
                    render_chat(ChatFormat::GptOss, m, true, low);
                }).contains("\"max\" is not one of low, medium, high"));
        QCOMPARE(render_chat(ChatFormat::ChatML, m, true, low),
                 render_chat(ChatFormat::ChatML, m, true));  // others have no such setting
        // The other formats give earlier replies without their <think> part as well.
        QCOMPARE(render_chat(ChatFormat::ChatML,
                             {{"assistant", "<think>sum</think>\n\nFive."}, {"user", "Ok"}}, true),
                 std::string("<|im_start|>assistant\nFive.<|im_end|>\n<|im_start|>user\nOk"
                             "<|im_end|>\n<|im_start|>assistant\n"));
        QCOMPARE(detect_chat_format(std::string("{{- \"<|start|>assistant<|channel|>final"
                                                "<|message|>\" + message.content }}"))
                     .format,
                 ChatFormat::GptOss);
        QCOMPARE(*parse_chat_format("gpt-oss"), ChatFormat::GptOss);
        QCOMPARE(end_of_turn_strings(ChatFormat::GptOss),
                 std::vector<std::string>{"<|start|>user"});
    }

    // A vocabulary with <|return|> and <|call|> ends replies with them, not with <|end|> (which
    // closes the reasoning message), and shows the markers as text; elsewhere <|end|> still ends
    // a reply (Phi-3) and control tokens show as nothing.
    void harmony_vocabularies_end_and_show_as_llama_cpp() {
        test::TinySpec spec;
        spec.bpe_pre = "gpt-4o";
        spec.controls = kHarmonyControls;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const Tokenizer& tok = model->tokenizer();
        const auto id = [&](const std::string& text) {
            const auto ids = tok.encode_special(text, false);
            return ids.size() == 1 ? ids[0] : -1;
        };
        QVERIFY(tok.is_end(id("<|return|>")) && tok.is_end(id("<|call|>")));
        QVERIFY(!tok.is_end(id("<|end|>")));
        for (const char* marker : {"<|start|>", "<|channel|>", "<|message|>", "<|end|>"})
            QCOMPARE(tok.token_bytes(id(marker)), std::string(marker));
        QCOMPARE(tok.token_bytes(id("<|return|>")), std::string());
        IncrementalDecoder shown(tok);  // and a reply's text has them
        QCOMPARE(shown.push(id("<|channel|>")), std::string("<|channel|>"));
        QCOMPARE(shown.push(id("<|return|>")), std::string());
        // Not even where <|end|> is the file's end-of-text token (llama.cpp drops it as well).
        GgufWriter w = test::tiny_model_writer(spec);
        w.set("tokenizer.ggml.eos_token_id", GgufValue::u32(uint32_t(id("<|end|>"))));
        const std::string eos_end = test::temp_dir() + "/harmony-eos-end.gguf";
        w.write(eos_end);
        const auto with_eos_end = LlamaModel::load(eos_end);
        QVERIFY(!with_eos_end->tokenizer().is_end(id("<|end|>")));
        QVERIFY(with_eos_end->tokenizer().is_end(id("<|return|>")));

        spec.controls = {"<|end|>", "<|user|>"};
        model = LlamaModel::load(test::write_tiny_model(spec));
        const int end = model->tokenizer().encode_special("<|end|>", false).front();
        QVERIFY(model->tokenizer().is_end(end));
        QCOMPARE(model->tokenizer().token_bytes(end), std::string());
    }

    // Templates that open the reply's reasoning, or can be told to skip it, from the texts
    // of QwQ's, Qwen3's and DeepSeek-R1's templates (Jinja sources with \n escapes).
    void thinking_prompts_are_recognised() {
        const auto thinking = [](const std::string& t) { return detect_chat_format(t).thinking; };
        const std::string qwen3 =
            "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n<think>\\n' "
            "+ reasoning_content }}{%- endfor %}{%- if add_generation_prompt %}"
            "{{- '<|im_start|>assistant\\n' }}{%- if enable_thinking is defined and "
            "enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}";
        QCOMPARE(thinking(qwen3), ThinkingPrompt::Switch);
        QCOMPARE(thinking("{{- '<|im_start|>' + message.role }}{%- if add_generation_prompt %}"
                          "{{- '<|im_start|>assistant\\n<think>\\n' }}{%- endif %}"),
                 ThinkingPrompt::Opened);
        QCOMPARE(thinking("{{ '<|im_start|>assistant\n<think>\n' }}"), ThinkingPrompt::Opened);
        const DetectedChatFormat r1 =
            detect_chat_format(std::string("{{'<｜User｜>' + content}}{% if add_generation_prompt "
                                           "%}{{'<｜Assistant｜><think>\\n'}}"));
        QCOMPARE(r1.format, ChatFormat::DeepSeek3);
        QCOMPARE(r1.thinking, ThinkingPrompt::Opened);
        QCOMPARE(thinking("{{'<｜User｜>' + content}}{{'<｜Assistant｜>'}}"), ThinkingPrompt::None);
        QCOMPARE(thinking("{{ '<|im_start|>assistant\\n' }}"), ThinkingPrompt::None);
        // "<think>" as text inside a reply, not an opened block
        QCOMPARE(thinking("{{ '<|im_start|>assistant\\n<think>' + x }}"), ThinkingPrompt::None);
        QCOMPARE(thinking("{{ '<|im_start|>assistant\\n<think>' -}}"), ThinkingPrompt::Opened);
        // A template the engine does not know is rendered plain, where <think> means nothing.
        QCOMPARE(thinking("{{ enable_thinking }} something else"), ThinkingPrompt::None);
    }

    // A template's default system prompt, as Granite 4.0's, Mistral Small 3.2's (with today's
    // date), Ministral 3's reasoning models' and Qwen2.5's templates write theirs; anything built
    // another way is not guessed at.
    void default_system_prompts_are_read_from_templates() {
        const auto read = [](const std::string& t) {
            return template_default_system(t, "2026-01-02");
        };
        QCOMPARE(read("{%- set g4_default_system_message = 'You are helpful.' %}"),
                 std::string("You are helpful."));
        QCOMPARE(read("{%- set today = strftime_now(\"%Y-%m-%d\") %}\n{%- set "
                      "default_system_message = \"Date: \" + today + \".\\nBe "
                      "brief.\" %}"),
                 std::string("Date: 2026-01-02.\nBe brief."));
        QCOMPARE(read("{%- set default_system_message = 'It\\'s [THINK]x[/THINK]' -%}"),
                 std::string("It's [THINK]x[/THINK]"));
        QCOMPARE(read("{%- set default_system_message = 'a' + name %}"), std::string());
        QCOMPARE(read("{%- set default_system_message = 'a' + today %}"), std::string());
        QCOMPARE(read("{{ default_system_message }}{% set x = 'b' %}"), std::string());
        QCOMPARE(read("{%- set my default_system_message = 'a' %}"), std::string());
        const DetectedChatFormat qwen = detect_chat_format(std::string(
            "{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + "
            "messages[0]['content'] + '<|im_end|>\\n' }}{%- else %}{{- "
            "'<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
            "assistant.<|im_end|>\\n' }}{%- endif %}"));
        QCOMPARE(qwen.format, ChatFormat::ChatML);
        QCOMPARE(
            qwen.default_system,
            std::string("You are Qwen, created by Alibaba Cloud. You are a helpful assistant."));
        QCOMPARE(
            detect_chat_format(std::string("{{ '<|im_start|>system\\n' + x }}")).default_system,
            std::string());

        // A session writes it where the conversation has no system message of its own.
        auto model = model_with_template(
            "<|start_of_role|>{%- set g4_default_system_message = 'Be safe.' %}", "default-system");
        auto ctx = test::cpu_context(*model, 1, "fp16", 128);
        ChatSession chat(*model, *ctx);
        QCOMPARE(chat.format(), ChatFormat::Granite);
        QCOMPARE(chat.default_system(), std::string("Be safe."));
        const std::string head = "<|start_of_role|>system<|end_of_role|>";
        QCOMPARE(chat.render({{"user", "Hi"}}).rfind(head + "Be safe.<|end_of_text|>\n", 0),
                 size_t(0));
        QCOMPARE(chat.render({{"system", "Mine."}, {"user", "Hi"}}).rfind(head + "Mine.", 0),
                 size_t(0));
        ChatRenderOptions none;
        none.default_system = false;
        chat.set_render_options(none);
        QCOMPARE(chat.render({{"user", "Hi"}}).rfind("<|start_of_role|>user", 0), size_t(0));
        chat.set_render_options({});
        chat.set_format(ChatFormat::ChatML);  // chosen by hand: not the template's
        QVERIFY(chat.default_system().empty());
        QCOMPARE(chat.render({{"user", "Hi"}}).rfind("<|im_start|>user", 0), size_t(0));
    }

    // Nemotron Nano 2's template, as its Jinja source renders it (checked with jinja2 on the
    // released template): an always-present system turn, trimmed contents without the
    // /think and /no_think switches, <SPECIAL_12> after each reply; every reply opens with
    // <think>, and the last switch in the conversation (or the setting) can close it at once.
    void nemotron_h_renders_as_its_template() {
        const DetectedChatFormat d = detect_chat_format(
            std::string("{{- '<SPECIAL_10>System\\n' }}{{- '<SPECIAL_11>Assistant\\n' -}}"));
        QCOMPARE(d.format, ChatFormat::NemotronH);
        QCOMPARE(d.thinking, ThinkingPrompt::Opened);
        const std::vector<ChatMessage> m = {{"system", "Be brief. /no_think"},
                                            {"user", " What is 2+3? "},
                                            {"assistant", "<think>\nadd\n</think>\n\nIt is 5."},
                                            {"user", "And 4+4?"}};
        QCOMPARE(render_chat(ChatFormat::NemotronH, m, true),
                 std::string("<SPECIAL_10>System\nBe brief.\n\n<SPECIAL_11>User\nWhat is "
                             "2+3?\n<SPECIAL_11>Assistant\nIt is 5.\n<SPECIAL_12>\n<SPECIAL_11>"
                             "User\nAnd 4+4?\n<SPECIAL_11>Assistant\n"));
        QCOMPARE(render_chat(ChatFormat::NemotronH, {{"user", "Hi"}}, true),
                 std::string("<SPECIAL_10>System\n\n\n<SPECIAL_11>User\nHi\n<SPECIAL_11>"
                             "Assistant\n"));
        QVERIFY(no_think_marked(m));
        QVERIFY(!no_think_marked({{"system", "/no_think"}, {"user", "now /think"}}));
        QVERIFY(!no_think_marked({{"user", "Hi"}, {"assistant", "/no_think"}}));
        QCOMPARE(empty_thinking_block(ChatFormat::NemotronH), std::string("<think></think>"));

        auto model = model_with_template("{{ '<SPECIAL_10>System' }}{{ '<SPECIAL_11>Assistant' }}",
                                         "nemotron-chat");
        auto ctx = test::cpu_context(*model, 1, "fp16", 128);
        ChatSession chat(*model, *ctx);
        const std::string tail = "<SPECIAL_11>Assistant\n";
        QCOMPARE(chat.render({{"user", "Hi"}}).substr(chat.render({{"user", "Hi"}}).find(tail)),
                 tail + "<think>\n");
        QCOMPARE(chat.render(m).substr(chat.render(m).rfind(tail)), tail + "<think></think>");
        QCOMPARE(chat.reply_start(m), std::string());
        QCOMPARE(chat.reply_start({{"user", "Hi"}}), std::string("<think>\n"));
        QCOMPARE(*parse_chat_format("nemotron-h"), ChatFormat::NemotronH);

        test::TinySpec vocab;  // <SPECIAL_12> ends a reply, as a token
        vocab.bpe_pre = "llama-bpe";
        vocab.controls = {"<SPECIAL_12>"};
        auto special = LlamaModel::load(test::write_tiny_model(vocab));
        const auto ids = special->tokenizer().encode_special("<SPECIAL_12>", false);
        QCOMPARE(ids.size(), size_t(1));
        QVERIFY(special->tokenizer().is_end(ids[0]));
    }

    // What a chat session on such a model renders and what its replies hold: an opened
    // template's reply starts inside its reasoning; with thinking off both kinds get an empty
    // block before the reply; a format chosen by hand drops the template's way.
    void thinking_prompts_shape_the_prompt_and_the_reply() {
        const auto ends_with = [](const std::string& s, const std::string& tail) {
            return s.size() >= tail.size() &&
                   s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
        };
        const std::vector<ChatMessage> first = {{"user", "Hi"}};
        ChatRenderOptions off;
        off.thinking = false;

        auto opened = model_with_template("{{ '<|im_start|>assistant\\n<think>\\n' }}", "opened");
        auto ctx = test::cpu_context(*opened, 1, "fp16", 128);
        ChatSession chat(*opened, *ctx);
        QCOMPARE(chat.thinking_prompt(), ThinkingPrompt::Opened);
        QCOMPARE(chat.reply_start(), std::string("<think>\n"));
        QVERIFY(ends_with(chat.render(first), "<|im_start|>assistant\n<think>\n"));
        std::string streamed;
        const GenerateResult r =
            chat.reply(first, test::greedy(5), [&](int, const std::string& t) { streamed += t; });
        QCOMPARE(streamed, r.text);
        QVERIFY(r.text.rfind("<think>\n", 0) == 0);
        QCOMPARE(split_reply(r.text).reasoning, r.text.substr(8));  // still reasoning
        // An earlier reply is given back as its answer only.
        const std::string again = chat.render(
            {{"user", "Hi"}, {"assistant", "<think>\nhm</think>\n\nHello."}, {"user", "And?"}});
        QVERIFY(again.find("<|im_start|>assistant\nHello.<|im_end|>") != std::string::npos);
        QVERIFY(again.find("hm") == std::string::npos);
        chat.set_render_options(off);
        QCOMPARE(chat.reply_start(), std::string());
        QVERIFY(ends_with(chat.render(first), "<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        chat.set_format(ChatFormat::Plain);
        QCOMPARE(chat.thinking_prompt(), ThinkingPrompt::None);
        QVERIFY(chat.render(first).find("<think>") == std::string::npos);
        chat.set_format(ChatFormat::ChatML);  // the template's own format again
        QCOMPARE(chat.thinking_prompt(), ThinkingPrompt::Opened);

        auto hybrid = model_with_template(
            "{{ '<|im_start|>' + role }}{% if enable_thinking is false %}{% endif %}", "hybrid");
        auto ctx2 = test::cpu_context(*hybrid, 1, "fp16", 128);
        ChatSession chat2(*hybrid, *ctx2);
        QCOMPARE(chat2.thinking_prompt(), ThinkingPrompt::Switch);
        QCOMPARE(chat2.reply_start(), std::string());
        QVERIFY(ends_with(chat2.render(first), "<|im_start|>assistant\n"));
        chat2.set_render_options(off);
        QVERIFY(ends_with(chat2.render(first), "<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        const GenerateResult r2 = chat2.reply(first, test::greedy(3));
        QVERIFY(r2.text.find("<think>") == std::string::npos);  // the block is the prompt's

        auto none = model_with_template("{{ '<|im_start|>' + role }}", "no-thinking");
        auto ctx3 = test::cpu_context(*none, 1, "fp16", 128);
        ChatSession chat3(*none, *ctx3);
        chat3.set_render_options(off);
        QVERIFY(ends_with(chat3.render(first), "<|im_start|>assistant\n"));

        // OLMo 3 Think's: the header's literal ends at <think>, without a line break, and the
        // literal of its default system turn holds real line breaks.
        auto olmo = model_with_template(
            "{% if not has_system %}{{ '<|im_start|>system\nYou are OLMo. "
            "<functions></functions><|im_end|>\n' }}{% endif %}{% if add_generation_prompt "
            "%}{{ '<|im_start|>assistant\n<think>' }}{% endif %}",
            "olmo3-think");
        auto ctx4 = test::cpu_context(*olmo, 1, "fp16", 128);
        ChatSession chat4(*olmo, *ctx4);
        QCOMPARE(chat4.format(), ChatFormat::ChatML);
        QCOMPARE(chat4.thinking_prompt(), ThinkingPrompt::Opened);
        QCOMPARE(chat4.reply_start(), std::string("<think>"));
        QCOMPARE(chat4.default_system(), std::string("You are OLMo. <functions></functions>"));
        const std::string olmo_prompt = chat4.render(first);
        QCOMPARE(olmo_prompt.rfind("<|im_start|>system\nYou are OLMo. <functions></functions>"
                                   "<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
                                   0),
                 size_t(0));
        QVERIFY(ends_with(olmo_prompt, "<|im_start|>assistant\n<think>"));
        chat4.set_format(ChatFormat::Plain);
        chat4.set_format(ChatFormat::ChatML);
        QCOMPARE(chat4.reply_start(), std::string("<think>"));
    }

    // Magistral's [THINK] and [/THINK] are control tokens that a reply shows as text, so that
    // it splits as a <think> reply does; other control tokens still show as nothing.
    void think_control_tokens_show_as_text() {
        test::TinySpec spec;
        spec.bpe_pre = "tekken";
        spec.controls = {"[THINK]", "[/THINK]", "[INST]"};
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const Tokenizer& tok = model->tokenizer();
        const auto ids = tok.encode_special("[THINK]Add.[/THINK]It is 5.[INST]", false);
        IncrementalDecoder d(tok);
        std::string text;
        for (int id : ids) text += d.push(id);
        text += d.flush();
        QCOMPARE(text, std::string("[THINK]Add.[/THINK]It is 5."));
        QCOMPARE(split_reply(text).reasoning, std::string("Add."));
        QCOMPARE(split_reply(text).answer, std::string("It is 5."));
    }

    // A gpt-oss model whose template names harmony: the chat is rendered with it and the
    // markers are read as single tokens (a random model's reply itself means nothing).
    void a_gpt_oss_chat_runs_end_to_end() {
        test::TinySpec spec;
        spec.arch = "gpt-oss";
        spec.bpe_pre = "gpt-4o";
        spec.controls = kHarmonyControls;
        spec.n_expert = 4;
        spec.n_expert_used = 2;
        spec.swa_window = 8;
        spec.n_ctx = 512;
        GgufWriter w = test::tiny_model_writer(spec);
        w.set("tokenizer.chat_template",
              GgufValue::str("{{- \"<|start|>\" + role + \"<|channel|>\" }}"));
        const std::string path = test::temp_dir() + "/harmony.gguf";
        w.write(path);
        auto model = LlamaModel::load(path);
        auto ctx = test::cpu_context(*model, 2, "fp16", 512);
        ChatSession chat(*model, *ctx);
        QCOMPARE(chat.format(), ChatFormat::GptOss);
        ChatRenderOptions high;
        high.reasoning_effort = "high";
        chat.set_render_options(high);
        QVERIFY(chat.render({{"user", "Hi"}}).find("Reasoning: high") != std::string::npos);
        GenerateParams gp = test::greedy(6);
        gp.ignore_eos = true;
        const GenerateResult r = chat.reply({{"user", "What is 2+3?"}}, gp);
        QCOMPARE(int(r.ids.size()), 6);
        const auto held = chat.held_tokens();
        const int start = model->tokenizer().encode_special("<|start|>", false).front();
        // system, user, and the assistant's turn
        QCOMPARE(std::count(held.begin(), held.end() - 6, start), 3l);
    }
};

QTEST_GUILESS_MAIN(TestReplyChannels)
#include "test_reply_channels.moc"
