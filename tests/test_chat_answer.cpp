// Chat templates and answer extraction against their exact expected strings.
#include "engine/answer.h"
#include "engine/backend.h"
#include "engine/chat_fit.h"
#include "engine/chat_render_apertus.h"
#include "engine/chat_session.h"
#include "engine/chat_template.h"
#include "engine/error.h"
#include "engine/gguf_file.h"
#include "engine/llama_model.h"
#include "engine/tokenizer.h"
#include "tests/model_checks.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;

namespace {

const std::vector<ChatMessage> kConversation = {
    {"system", "Be brief."}, {"user", "What is 2+3?"}, {"assistant", "5."}, {"user", "And 4+4?"}};

// A tiny model with a 512-token context on the CPU, and greedy replies of n tokens.
struct TinyChat {
    std::unique_ptr<LlamaModel> model;
    std::unique_ptr<Backend> backend = make_cpu_backend();
    ContextParams cp;
    TinyChat() {
        test::TinySpec spec;
        spec.n_ctx = 512;
        model = LlamaModel::load(test::write_tiny_model(spec));
        cp.n_ctx = 512;
    }
    std::unique_ptr<InferenceContext> context() { return backend->create_context(*model, cp); }
    static GenerateParams greedy(int n) {
        GenerateParams gp;
        gp.max_tokens = n;
        gp.sampling.temperature = 0;
        gp.ignore_eos = true;
        return gp;
    }
};

}  // namespace

class TestChatAnswer : public QObject {
    Q_OBJECT

  private slots:
    void templates_render_exactly() {
        QCOMPARE(render_chat(ChatFormat::Llama2, kConversation, true),
                 std::string("[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nWhat is 2+3? [/INST] 5. </s>"
                             "<s>[INST] And 4+4? [/INST]"));
        QCOMPARE(render_chat(ChatFormat::Mistral, kConversation, true),
                 std::string(
                     "[INST] Be brief.\n\nWhat is 2+3? [/INST] 5. </s><s>[INST] And 4+4? [/INST]"));
        // Mistral's official templates as llama.cpp renders them (system text opening the
        // first instruction; v3 trims the reply; v7 gives the system prompt its own markers).
        QCOMPARE(render_chat(ChatFormat::MistralV1, kConversation, true),
                 std::string(
                     " [INST] Be brief.\n\nWhat is 2+3? [/INST] 5.</s> [INST] And 4+4? [/INST]"));
        std::vector<ChatMessage> padded = kConversation;
        padded[2].content = " 5. ";
        QCOMPARE(
            render_chat(ChatFormat::MistralV3, padded, true),
            std::string("[INST] Be brief.\n\nWhat is 2+3?[/INST] 5.</s>[INST] And 4+4?[/INST]"));
        QCOMPARE(render_chat(ChatFormat::MistralV3Tekken, kConversation, true),
                 std::string("[INST]Be brief.\n\nWhat is 2+3?[/INST]5.</s>[INST]And 4+4?[/INST]"));
        QCOMPARE(render_chat(ChatFormat::MistralV7, kConversation, true),
                 std::string("[SYSTEM_PROMPT] Be brief.[/SYSTEM_PROMPT][INST] What is 2+3?[/INST] "
                             "5.</s>[INST] And 4+4?[/INST]"));
        QCOMPARE(render_chat(ChatFormat::ChatML, kConversation, true),
                 std::string(
                     "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is "
                     "2+3?<|im_end|>\n"
                     "<|im_start|>assistant\n5.<|im_end|>\n<|im_start|>user\nAnd 4+4?<|im_end|>\n"
                     "<|im_start|>assistant\n"));
        QCOMPARE(
            render_chat(ChatFormat::Zephyr, kConversation, true),
            std::string(
                "<|system|>\nBe brief.</s>\n<|user|>\nWhat is 2+3?</s>\n<|assistant|>\n5.</s>\n"
                "<|user|>\nAnd 4+4?</s>\n<|assistant|>\n"));
        // llama.cpp's llama3 template: contents trimmed, no newline after <|eot_id|>.
        QCOMPARE(
            render_chat(ChatFormat::Llama3, {{"system", " Be brief.\n"}, {"user", "Hi"}}, true),
            std::string("<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        "<|start_header_id|>assistant<|end_header_id|>\n\n"));
        // llama.cpp's deepseek2 (DeepSeek LLM, V2 and V2-Lite): the system text, then "User: "
        // and "Assistant: " turns, a reply closed by the end-of-sentence marker.
        QCOMPARE(render_chat(ChatFormat::DeepSeek2, kConversation, true),
                 std::string("Be brief.\n\nUser: What is 2+3?\n\nAssistant: 5."
                             "<｜end▁of▁sentence｜>"
                             "User: And 4+4?\n\nAssistant:"));
        // llama.cpp's seed_oss: <seed:bos>role, the text (a reply's trimmed), <seed:eos>.
        std::vector<ChatMessage> spaced = kConversation;
        spaced[2].content = " 5.\n";
        QCOMPARE(render_chat(ChatFormat::SeedOss, spaced, true),
                 std::string("<seed:bos>system\nBe brief.<seed:eos><seed:bos>user\nWhat is "
                             "2+3?<seed:eos><seed:bos>assistant\n5.<seed:eos><seed:bos>user\n"
                             "And 4+4?<seed:eos><seed:bos>assistant\n"));
        // llama.cpp's command-r: <|START_OF_TURN_TOKEN|>, the role's marker, the text trimmed.
        QCOMPARE(render_chat(ChatFormat::CommandR, spaced, true),
                 std::string("<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>Be brief.<|END_OF_TURN_TOKEN|>"
                             "<|START_OF_TURN_TOKEN|><|USER_TOKEN|>What is 2+3?"
                             "<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>5."
                             "<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|USER_TOKEN|>And 4+4?"
                             "<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>"));
        // llama.cpp's llama4: Llama 3's turns with <|header_start|>, <|header_end|>, <|eot|>.
        QCOMPARE(render_chat(ChatFormat::Llama4, spaced, true),
                 std::string("<|header_start|>system<|header_end|>\n\nBe brief.<|eot|>"
                             "<|header_start|>user<|header_end|>\n\nWhat is 2+3?<|eot|>"
                             "<|header_start|>assistant<|header_end|>\n\n5.<|eot|>"
                             "<|header_start|>user<|header_end|>\n\nAnd 4+4?<|eot|>"
                             "<|header_start|>assistant<|header_end|>\n\n"));
        // OLMo 2's, OLMoE's and Tulu 3's template: turns end with a line break, earlier replies
        // with the end-of-text token first (the model's own, from the session), the last one
        // with the token alone.
        QCOMPARE(render_chat(ChatFormat::Tulu, kConversation, true),
                 std::string("<|system|>\nBe brief.\n<|user|>\nWhat is 2+3?\n<|assistant|>\n5."
                             "<|endoftext|>\n<|user|>\nAnd 4+4?\n<|assistant|>\n"));
        ChatRenderOptions tulu3;
        tulu3.eos_text = "<|end_of_text|>";
        QCOMPARE(
            render_chat(ChatFormat::Tulu, {{"user", "Hi"}, {"assistant", "Hello."}}, false, tulu3),
            std::string("<|user|>\nHi\n<|assistant|>\nHello.<|end_of_text|>"));
        // Apertus's template without tools: a developer turn with deliberation and tools off.
        QCOMPARE(render_chat(ChatFormat::Apertus, kConversation, true),
                 std::string("<|system_start|>Be brief.<|system_end|><|developer_start|>"
                             "Deliberation: disabled\nTool Capabilities: disabled<|developer_end|>"
                             "<|user_start|>What is 2+3?<|user_end|><|assistant_start|>5."
                             "<|assistant_end|><|user_start|>And 4+4?<|user_end|>"
                             "<|assistant_start|>"));
        QCOMPARE(render_chat(ChatFormat::Apertus, {{"user", "Hi"}}, false),
                 std::string("<|developer_start|>Deliberation: disabled\nTool Capabilities: "
                             "disabled<|developer_end|><|user_start|>Hi<|user_end|>"));
        // llama.cpp's hunyuan-dense and hunyuan-moe: a user turn ends with the reply's opening.
        QCOMPARE(render_chat(ChatFormat::HunyuanDense, kConversation, true),
                 "Be brief." + kHunyuanSystemEnd + kHunyuanUser + "What is 2+3?" +
                     kHunyuanAssistant + kHunyuanAssistant + "5." + kHunyuanEnd + kHunyuanUser +
                     "And 4+4?" + kHunyuanAssistant);
        QCOMPARE(render_chat(ChatFormat::HunyuanMoe, kConversation, true),
                 std::string("<|startoftext|>Be brief.<|extra_4|><|startoftext|>What is "
                             "2+3?<|extra_0|>5.<|eos|><|startoftext|>And 4+4?<|extra_0|>"));
        // llama.cpp's kimi-k2: <|im_ROLE|>ROLE<|im_middle|>, the text, <|im_end|>.
        QCOMPARE(render_chat(ChatFormat::KimiK2, kConversation, true),
                 std::string("<|im_system|>system<|im_middle|>Be brief.<|im_end|><|im_user|>user"
                             "<|im_middle|>What is 2+3?<|im_end|><|im_assistant|>assistant"
                             "<|im_middle|>5.<|im_end|><|im_user|>user<|im_middle|>And 4+4?"
                             "<|im_end|><|im_assistant|>assistant<|im_middle|>"));
        QCOMPARE(render_chat(ChatFormat::DeepSeek3, kConversation, true),
                 std::string("Be brief.<｜User｜>What is 2+3?"
                             "<｜Assistant｜>5."
                             "<｜end▁of▁sentence｜>"
                             "<｜User｜>And 4+4?"
                             "<｜Assistant｜>"));
        QCOMPARE(render_chat(ChatFormat::Phi3, {{"user", "Hi"}, {"assistant", "Yo"}}, true),
                 std::string("<|user|>\nHi<|end|>\n<|assistant|>\nYo<|end|>\n<|assistant|>\n"));
        // llama.cpp's gemma: the system text opens the first user turn; "model" answers.
        QCOMPARE(render_chat(ChatFormat::Gemma, kConversation, true),
                 std::string("<start_of_turn>user\nBe brief.\n\nWhat is 2+3?<end_of_turn>\n"
                             "<start_of_turn>model\n5.<end_of_turn>\n"
                             "<start_of_turn>user\nAnd 4+4?<end_of_turn>\n"
                             "<start_of_turn>model\n"));
        QCOMPARE(render_chat(ChatFormat::Exaone3, kConversation, true),
                 std::string("[|system|]Be brief.[|endofturn|]\n[|user|]What is 2+3?\n"
                             "[|assistant|]5.[|endofturn|]\n[|user|]And 4+4?\n[|assistant|]"));
        QCOMPARE(render_chat(ChatFormat::Glm4, kConversation, true),
                 std::string("[gMASK]<sop><|system|>\nBe brief.<|user|>\nWhat is 2+3?"
                             "<|assistant|>\n5.<|user|>\nAnd 4+4?<|assistant|>\n"));
        QCOMPARE(render_chat(ChatFormat::Phi4, {{"user", "Hi"}, {"assistant", "Yo"}}, true),
                 std::string("<|im_start|>user<|im_sep|>Hi<|im_end|><|im_start|>assistant"
                             "<|im_sep|>Yo<|im_end|><|im_start|>assistant<|im_sep|>"));
        QCOMPARE(render_chat(ChatFormat::Granite, kConversation, true),
                 std::string("<|start_of_role|>system<|end_of_role|>Be brief.<|end_of_text|>\n"
                             "<|start_of_role|>user<|end_of_role|>What is 2+3?<|end_of_text|>\n"
                             "<|start_of_role|>assistant<|end_of_role|>5.<|end_of_text|>\n"
                             "<|start_of_role|>user<|end_of_role|>And 4+4?<|end_of_text|>\n"
                             "<|start_of_role|>assistant<|end_of_role|>"));
        QCOMPARE(render_chat(ChatFormat::Plain, kConversation, true),
                 std::string(
                     "Be brief.\n\nUser: What is 2+3?\nAssistant: 5.\nUser: And 4+4?\nAssistant:"));
        QCOMPARE(render_chat(ChatFormat::ChatML, {{"user", "hi"}}, false),
                 std::string("<|im_start|>user\nhi<|im_end|>\n"));
        QVERIFY_THROWS_EXCEPTION(Error, render_chat(ChatFormat::Plain, {{"robot", "x"}}, true));
        QVERIFY_THROWS_EXCEPTION(
            Error, render_chat(ChatFormat::Plain, {{"user", "x"}, {"system", "y"}}, true));
    }

    void templates_are_recognised() {
        QCOMPARE(detect_chat_format(std::string("{% for m in messages %}<|im_start|>{{ m.role }}"))
                     .format,
                 ChatFormat::ChatML);
        QCOMPARE(
            detect_chat_format(std::string("{{ bos_token }}[INST] <<SYS>>\\n{{ system }}")).format,
            ChatFormat::Llama2);
        QCOMPARE(detect_chat_format(
                     std::string("{{ bos_token }}{% for m in messages %}[INST] {{ m }} [/INST]"))
                     .format,
                 ChatFormat::Mistral);
        QCOMPARE(detect_chat_format(std::string("<|user|>\n{{ m }}</s>\n<|assistant|>")).format,
                 ChatFormat::Zephyr);
        QCOMPARE(detect_chat_format(std::string("{% set content = '<|start_header_id|>' + "
                                                "message['role'] + '<|end_header_id|>\n\n' %}"))
                     .format,
                 ChatFormat::Llama3);
        QCOMPARE(*parse_chat_format("llama3"), ChatFormat::Llama3);
        QCOMPARE(detect_chat_format(std::string("{{'<|user|>' + m + '<|end|>' + '<|assistant|>'}}"))
                     .format,
                 ChatFormat::Phi3);
        QCOMPARE(detect_chat_format(std::string("{{'<｜User｜>' + content}}"
                                                "{{'<｜Assistant｜>'}}"))
                     .format,
                 ChatFormat::DeepSeek3);
        QCOMPARE(detect_chat_format(std::string("{% elif message['role'] == 'assistant' %}{{ "
                                                "'Assistant: ' + message['content'] + eos_token "
                                                "}}"))
                     .format,
                 ChatFormat::DeepSeek2);
        QCOMPARE(*parse_chat_format("deepseek2"), ChatFormat::DeepSeek2);
        QCOMPARE(
            detect_chat_format(std::string("{{ '<seed:bos>' + message.role + '\\n' }}")).format,
            ChatFormat::SeedOss);
        QCOMPARE(*parse_chat_format("seed-oss"), ChatFormat::SeedOss);
        QCOMPARE(detect_chat_format(std::string("{%- if role == 'assistant' -%}<|im_assistant|>"
                                                "assistant<|im_middle|>{%- endif -%}"))
                     .format,
                 ChatFormat::KimiK2);
        QCOMPARE(*parse_chat_format("kimi-k2"), ChatFormat::KimiK2);
        QCOMPARE(detect_chat_format(std::string("{{ '<|START_OF_TURN_TOKEN|><|USER_TOKEN|>' + "
                                                "message['content'] | trim }}"))
                     .format,
                 ChatFormat::CommandR);
        QCOMPARE(*parse_chat_format("command-r"), ChatFormat::CommandR);
        QCOMPARE(detect_chat_format("{{ '<｜hy_User｜>' + content + '<｜hy_Assistant｜>' }}"
                                    "{{ system + '<｜hy_place▁holder▁no▁3｜>' }}")
                     .format,
                 ChatFormat::HunyuanDense);
        QVERIFY(detect_chat_format("<｜hy_begin▁of▁sentence｜><｜hy_Assistant｜>"
                                   "<｜hy_place▁holder▁no▁3｜>")
                    .format != ChatFormat::HunyuanDense);  // HunyuanVL's
        QCOMPARE(detect_chat_format(std::string("{{ '<|startoftext|>' + m + '<|extra_0|>' }}{{ "
                                                "'<|extra_4|>' }}"))
                     .format,
                 ChatFormat::HunyuanMoe);
        QCOMPARE(*parse_chat_format("hunyuan-dense"), ChatFormat::HunyuanDense);
        QCOMPARE(*parse_chat_format("hunyuan-moe"), ChatFormat::HunyuanMoe);
        QCOMPARE(detect_chat_format(std::string("{{- '<|header_start|>' + message['role'] + "
                                                "'<|header_end|>\\n\\n' }}"))
                     .format,
                 ChatFormat::Llama4);
        QCOMPARE(*parse_chat_format("llama4"), ChatFormat::Llama4);
        // Tulu's user turns end with a line break where Zephyr's end with eos_token.
        const std::string tulu =
            "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'system' "
            "%}{{ '<|system|>\\n' + message['content'] + '\\n' }}{% elif message['role'] == "
            "'user' %}{{ '<|user|>\\n' + message['content'] + '\\n' }}{% elif message['role'] "
            "== 'assistant' %}{{ '<|assistant|>\\n'  + message['content'] + eos_token }}";
        QCOMPARE(detect_chat_format(tulu).format, ChatFormat::Tulu);
        QCOMPARE(detect_chat_format(std::string("{{ '<|user|>\\n' + message.content + "
                                                "eos_token }}{{ '<|assistant|>\\n' }}"))
                     .format,
                 ChatFormat::Zephyr);
        QCOMPARE(*parse_chat_format("tulu"), ChatFormat::Tulu);
        // Apertus's: told by its developer turn; its default system message read from the
        // literal after system_token, today's date where strftime_now follows it.
        const std::string apertus =
            "{%- set system_token = '<|system_start|>' -%}{%- if messages and messages[0].role "
            "== 'system' -%}{{- system_token + messages[0].content + end_system_token -}}{%- "
            "else -%}{{- system_token + 'You are Apertus.\\nCurrent date: ' + "
            "strftime_now('%Y-%m-%d') + end_system_token -}}{%- endif -%}{{- "
            "'<|developer_start|>' -}}{{- '<|assistant_start|>' -}}";
        const DetectedChatFormat ad = detect_chat_format(apertus);
        QCOMPARE(ad.format, ChatFormat::Apertus);
        QVERIFY2(ad.default_system.rfind("You are Apertus.\nCurrent date: 20", 0) == 0 &&
                     ad.default_system.size() == 41,
                 ad.default_system.c_str());
        QCOMPARE(apertus_default_system("{{ system_token + 'Hi.' + x }}", "2026-01-02"),
                 std::string("Hi."));
        QCOMPARE(*parse_chat_format("apertus"), ChatFormat::Apertus);
        QVERIFY(test::session_prompt(apertus, "apertus", {{"user", "Hi"}})
                    .rfind("<|system_start|>You are Apertus.\nCurrent date: ", 0) == 0);
        // A session writes the model's own end-of-text token after earlier replies.
        QVERIFY(test::session_prompt(tulu, "tulu", kConversation)
                    .find("<|assistant|>\n5.</s>\n<|user|>\nAnd 4+4?\n<|assistant|>\n") !=
                std::string::npos);
        QCOMPARE(detect_chat_format(std::string("{{ '<start_of_turn>' + role + '\n' }}")).format,
                 ChatFormat::Gemma);
        QCOMPARE(*parse_chat_format("gemma"), ChatFormat::Gemma);
        QCOMPARE(detect_chat_format(std::string("{{- '<|start_of_role|>' + message['role'] + "
                                                "'<|end_of_role|>' + message['content'] }}"))
                     .format,
                 ChatFormat::Granite);
        QCOMPARE(*parse_chat_format("granite"), ChatFormat::Granite);
        QCOMPARE(detect_chat_format(std::string("{{'[|system|]' + m + '[|endofturn|]' + "
                                                "'[|assistant|]'}}"))
                     .format,
                 ChatFormat::Exaone3);
        QCOMPARE(detect_chat_format(std::string("[gMASK]<sop>{% for item in messages %}"
                                                "<|user|>\n{{ item }}<|assistant|>"))
                     .format,
                 ChatFormat::Glm4);
        QCOMPARE(detect_chat_format(std::string("{{'<|im_start|>' + message['role'] + "
                                                "'<|im_sep|>' + message['content']}}"))
                     .format,
                 ChatFormat::Phi4);
        // Mistral's official templates, told apart as llama.cpp does.
        QCOMPARE(
            detect_chat_format(std::string("{{ bos_token + ' [INST] ' + system_message }}")).format,
            ChatFormat::MistralV1);
        QCOMPARE(detect_chat_format(std::string("[AVAILABLE_TOOLS]{{- \"[INST] \" + "
                                                "message[\"content\"] + \"[/INST]\" }}"))
                     .format,
                 ChatFormat::MistralV3);
        QCOMPARE(detect_chat_format(std::string("[AVAILABLE_TOOLS]{{- \"[INST]\" + "
                                                "message[\"content\"] + \"[/INST]\" }}"))
                     .format,
                 ChatFormat::MistralV3Tekken);
        QCOMPARE(detect_chat_format(std::string("{{ '[SYSTEM_PROMPT]' + s + '[/SYSTEM_PROMPT]' "
                                                "}}{{ '[INST]' + m + '[/INST]' }}"))
                     .format,
                 ChatFormat::MistralV7);
        QCOMPARE(*parse_chat_format("mistral-v3-tekken"), ChatFormat::MistralV3Tekken);
        const DetectedChatFormat other = detect_chat_format(std::string("{{ weird }}"));
        QCOMPARE(other.format, ChatFormat::Plain);
        QVERIFY(!other.recognised && !other.warning.empty());
        QVERIFY(!detect_chat_format(std::nullopt).warning.empty());
        QCOMPARE(*parse_chat_format("zephyr"), ChatFormat::Zephyr);
        QVERIFY(!parse_chat_format("alpaca"));
    }

    void special_tokens_in_rendered_prompts() {
        NQKV_REQUIRE_SHARED(vocab, "models/ggml-vocab-llama-spm.gguf");
        const GgufFile f = GgufFile::open(vocab);
        const auto tok = Tokenizer::from_gguf(f);
        const std::string text = render_chat(
            ChatFormat::Mistral, {{"user", "hi"}, {"assistant", "ok"}, {"user", "q"}}, true);
        const auto ids = tok->encode_special(text, true);
        // BOS, [INST] hi [/INST] ok, EOS, BOS, [INST] q [/INST]
        QCOMPARE(ids.front(), 1);
        QCOMPARE(std::count(ids.begin(), ids.end(), 2), 1l);
        QCOMPARE(std::count(ids.begin(), ids.end(), 1), 2l);
        const auto eos = std::find(ids.begin(), ids.end(), 2);
        QCOMPARE(*(eos + 1), 1);
        // Plain encode keeps "</s>" as text.
        const auto plain = tok->encode(text, true);
        QCOMPARE(std::count(plain.begin(), plain.end(), 2), 0l);
        QCOMPARE(tok->encode_special("no specials here", false),
                 tok->encode("no specials here", false));
    }

    void answers_are_extracted_and_normalised() {
        QCOMPARE(*extract_answer("## Step 2: 12 + 30 = 42\n\nThe answer is 42."),
                 std::string("42"));
        QCOMPARE(*extract_answer("The answer is 7. Wait, no. The answer is 1,250.50."),
                 std::string("1250.5"));
        QCOMPARE(*extract_answer("so the total is \\boxed{3.0}"), std::string("3"));
        QCOMPARE(*extract_answer("The answer is \\boxed{\\frac{1}{2}}."),
                 std::string("\\frac{1}{2}"));
        QCOMPARE(*extract_answer("The answer is $-0.0."), std::string("0"));
        QCOMPARE(*extract_answer("the final answer is: 005"), std::string("5"));
        QCOMPARE(*extract_answer("The answer is blue."), std::string("blue"));
        QVERIFY(!extract_answer("no answer here"));
        QCOMPARE(*extract_answer("Result => 17 apples", R"(=>\s*(\d+))"), std::string("17"));
        QVERIFY_THROWS_EXCEPTION(Error, extract_answer("x", "("));
        QCOMPARE(normalize_answer(" -12.340 "), std::string("-12.34"));
        QCOMPARE(normalize_answer("1/2"), std::string("1/2"));
    }

    // A follow-up turn reuses the cached prefix and still gives exactly the tokens a fresh
    // context gives; a change earlier in the conversation falls back to the shared part.
    void chat_session_reuses_the_cached_prefix() {
        TinyChat t;
        auto& model = t.model;
        auto& backend = t.backend;
        const ContextParams& cp = t.cp;
        auto ctx = t.context();
        ChatSession chat(*model, *ctx);
        QCOMPARE(chat.format(), ChatFormat::Plain);
        const GenerateParams gp = TinyChat::greedy(12);

        std::vector<ChatMessage> conv = {{"user", "Hello there"}};
        const GenerateResult first = chat.reply(conv, gp);
        QCOMPARE(chat.reused_tokens(), 0);
        conv.push_back({"assistant", first.text});
        conv.push_back({"user", "And then?"});
        const GenerateResult second = chat.reply(conv, gp);
        QVERIFY2(chat.reused_tokens() > int(first.prompt_ids.size()) / 2,
                 qPrintable(QString::number(chat.reused_tokens())));

        auto fresh_ctx = backend->create_context(*model, cp);
        ChatSession fresh(*model, *fresh_ctx);
        const GenerateResult want = fresh.reply(conv, gp);
        QCOMPARE(second.prompt_ids, want.prompt_ids);
        QCOMPARE(second.ids, want.ids);

        // Editing the first message: only the part before the edit can be kept.
        conv[0].content = "Goodbye there";
        const GenerateResult edited = chat.reply(conv, gp);
        auto fresh2_ctx = backend->create_context(*model, cp);
        ChatSession fresh2(*model, *fresh2_ctx);
        QCOMPARE(edited.ids, fresh2.reply(conv, gp).ids);
        QVERIFY(chat.reused_tokens() < int(first.prompt_ids.size()));
        QVERIFY(end_of_turn_strings(ChatFormat::Plain) == std::vector<std::string>{"\nUser:"});
    }
    // A model with a reply prefix reads a past reply the way it wrote it (prefix included, line
    // break and all), so the next turn keeps the whole previous reply in the cache.
    void a_past_reply_keeps_its_prefix() {
        TinyChat t;
        auto ctx = t.context();
        ChatSession chat(*t.model, *ctx);
        chat.set_reply_prefix("\n## Step 1: ");
        const GenerateParams gp = TinyChat::greedy(10);
        std::vector<ChatMessage> conv = {{"user", "Tom has 3 apples"}};
        const GenerateResult first = chat.reply(conv, gp);
        QVERIFY(first.text.rfind("## Step 1: ", 0) == 0);
        conv.push_back({"assistant", first.text});
        QCOMPARE(
            render_chat(ChatFormat::Plain, with_reply_prefix(conv, chat.reply_prefix()), false),
            "User: Tom has 3 apples\nAssistant:\n## Step 1: " +
                first.text.substr(std::string("## Step 1: ").size()) + "\n");
        conv.push_back({"user", "And then?"});
        chat.reply(conv, gp);
        // The whole first prompt, prefix included, is reused, and the reply as far as its text
        // tokenizes to what the model wrote (this random model writes odd splits).
        QVERIFY2(chat.reused_tokens() > int(first.prompt_ids.size()),
                 qPrintable(QString("%1 of %2 + %3")
                                .arg(chat.reused_tokens())
                                .arg(first.prompt_ids.size())
                                .arg(first.ids.size())));
        // Ordinary replies keep the plain layout.
        QCOMPARE(render_chat(ChatFormat::Plain, {{"assistant", "Hi"}}, false),
                 std::string("Assistant: Hi\n"));
    }

    // A conversation longer than the context loses whole exchanges from its oldest end, as few
    // as possible; the system prompt and the last message stay; a fresh session given only the
    // kept messages writes exactly the same reply.
    void long_conversations_drop_their_oldest_exchanges() {
        test::TinySpec spec;
        spec.n_ctx = 512;
        const std::string path = test::write_tiny_model(spec);
        auto model = LlamaModel::load(path);
        const Tokenizer& tok = model->tokenizer();
        const auto render = [](const std::vector<ChatMessage>& m) {
            return render_chat(ChatFormat::Plain, m, true);
        };
        const auto tokens = [&](const std::vector<ChatMessage>& m) {
            return int(tok.encode_special(render(m), tok.add_bos(), "test").size());
        };
        std::vector<ChatMessage> conv = {{"system", "Be brief."}};
        for (int i = 0; i < 12; ++i) {
            conv.push_back({"user", "Question " + std::to_string(i) + " about apples and pears"});
            conv.push_back({"assistant", "Answer " + std::to_string(i) + ": seven of them."});
        }
        conv.push_back({"user", "And the last one?"});
        const int whole = tokens(conv);

        FittedConversation f =
            fit_conversation(tok, conv, render, whole + 10, 10, ContextOverflow::DropOldest);
        QCOMPARE(f.dropped, 0);
        QCOMPARE(f.messages.size(), conv.size());
        QCOMPARE(int(f.ids.size()), whole);

        const int n_ctx = whole / 2, room = 8;
        f = fit_conversation(tok, conv, render, n_ctx, room, ContextOverflow::DropOldest);
        QVERIFY(f.dropped > 0);
        QCOMPARE(f.dropped % 2, 0);  // whole exchanges
        QCOMPARE(f.messages.size() + size_t(f.dropped), conv.size());
        QCOMPARE(f.messages.front().content, std::string("Be brief."));
        QCOMPARE(f.messages[1].role, std::string("user"));
        QCOMPARE(f.messages[1].content, conv[size_t(1 + f.dropped)].content);
        QCOMPARE(f.messages.back().content, conv.back().content);
        // A new cut leaves a quarter of the context free beyond the room, and is the smallest
        // that does: one exchange more would not.
        QVERIFY(int(f.ids.size()) + room + n_ctx / 4 <= n_ctx);
        QCOMPARE(int(f.ids.size()), tokens(f.messages));
        std::vector<ChatMessage> more = {conv[0]};
        more.insert(more.end(), conv.begin() + 1 + f.dropped - 2, conv.end());
        QVERIFY(tokens(more) + room + n_ctx / 4 > n_ctx);
        // The last cut is kept while it leaves the room, even when a smaller one would do now.
        const FittedConversation again = fit_conversation(
            tok, conv, render, n_ctx, room, ContextOverflow::DropOldest, f.dropped + 2);
        QCOMPARE(again.dropped, f.dropped + 2);
        // A hint that is no place to cut (an assistant message) is ignored.
        QCOMPARE(fit_conversation(tok, conv, render, n_ctx, room, ContextOverflow::DropOldest,
                                  f.dropped + 1)
                     .dropped,
                 f.dropped);

        QVERIFY(test::error_of([&] {
                    fit_conversation(tok, conv, render, whole - 1, 1, ContextOverflow::Refuse);
                }).contains("older messages are kept"));
        // Refusing still answers a conversation that fits, even with less room than asked.
        QCOMPARE(
            fit_conversation(tok, conv, render, whole + 1, 50, ContextOverflow::Refuse).dropped, 0);
        const int last_alone = tokens({conv.front(), conv.back()});
        const QString e = test::error_of([&] {
            fit_conversation(tok, conv, render, last_alone, 1, ContextOverflow::DropOldest);
        });
        QVERIFY2(e.contains("the last message and the system prompt alone: ") &&
                     e.contains(QString::number(last_alone)),
                 qPrintable(e));
        QCOMPARE(parse_context_overflow("refuse"), ContextOverflow::Refuse);
        QVERIFY(test::error_of([] { parse_context_overflow("wrap"); }).contains("\"wrap\""));

        // Through a chat session on a context of that size.
        auto backend = make_cpu_backend();
        ContextParams cp;
        cp.n_ctx = n_ctx;
        GenerateParams gp;
        gp.max_tokens = room;
        gp.sampling.temperature = 0;
        gp.ignore_eos = true;
        auto ctx = backend->create_context(*model, cp);
        ChatSession chat(*model, *ctx);
        const GenerateResult r = chat.reply(conv, gp);
        QCOMPARE(chat.dropped_messages(), f.dropped);
        QCOMPARE(r.prompt_ids, f.ids);
        QCOMPARE(int(r.ids.size()), room);
        auto fresh_ctx = backend->create_context(*model, cp);
        ChatSession fresh(*model, *fresh_ctx);
        QCOMPARE(fresh.reply(f.messages, gp).ids, r.ids);
        QCOMPARE(fresh.dropped_messages(), 0);
        // The next turn keeps the same cut, so the cache holding the prompt is reused.
        conv.push_back({"assistant", r.text});
        conv.push_back({"user", "One more?"});
        const GenerateResult next = chat.reply(conv, gp);
        QCOMPARE(chat.dropped_messages(), f.dropped);
        QVERIFY2(chat.reused_tokens() >= int(f.ids.size()) - 1,
                 qPrintable(QString("%1 of %2").arg(chat.reused_tokens()).arg(f.ids.size())));
        QVERIFY(int(next.prompt_ids.size()) > int(f.ids.size()));
        chat.set_overflow(ContextOverflow::Refuse);
        QVERIFY(test::error_of([&] { chat.reply(conv, gp); }).contains("do not fit the context"));
    }
};

QTEST_GUILESS_MAIN(TestChatAnswer)
#include "test_chat_answer.moc"
