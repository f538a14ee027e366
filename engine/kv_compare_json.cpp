// A comparison as JSON and back: what `nqkv compare --json` prints and the compare view exports
// is what the view opens again (its last result across restarts, or a file from the CLI).
#include <cmath>

#include "engine/error.h"
#include "engine/json_reader.h"
#include "engine/json_writer.h"
#include "engine/kv_compare.h"

namespace nqkv {
namespace {

CompareRow read_row(const JsonValue& v, const std::string& where) {
    const JsonFields r(v, where);
    CompareRow row;
    row.config = KvConfig::parse(r.text("kv"), where + " kv");
    row.text = r.text("text");
    for (double id : r.numbers("ids")) {
        if (!(id >= 0) || id != std::floor(id)) fail(where, ": \"ids\" holds ", id);
        row.ids.push_back(int(id));
    }
    // Files written before the pieces were kept: the output as one piece (where it leaves
    // fp16's is then in the table alone).
    if (const JsonValue* pieces = v.find("pieces"); pieces && pieces->type == JsonValue::Array) {
        for (const JsonValue& p : pieces->items) {
            if (p.type != JsonValue::String) fail(where, ": \"pieces\" holds a non-string");
            row.pieces.push_back(p.text);
        }
    } else {
        row.pieces = {row.text};
    }
    row.first_divergence = int(r.whole("first_divergence", -1));
    row.tokens_per_second = r.number("tokens_per_s");
    row.kv_bytes = size_t(r.whole("kv_bytes", 0));
    row.bytes_per_token = size_t(r.whole("kv_bytes_per_token", 0));
    row.ctx_in_budget = size_t(r.whole("ctx_in_budget", 0));
    row.ppl.config = row.config;
    row.ppl.ppl = r.number("ppl");
    row.ppl.delta_pct = r.number("delta_pct");
    row.ppl.mean_kl = r.number("mean_kl");
    row.ppl.top1_agree = r.number("top1_agree");
    row.ppl.tokens_scored = int(r.whole("tokens_scored", 0));
    row.ppl.bytes_per_token = row.bytes_per_token;
    row.ppl.token_kl = r.numbers("token_kl");
    row.ppl.token_logprob = r.numbers("token_logprob");
    if (row.ppl.token_kl.size() != row.ppl.token_logprob.size())
        fail(where, ": \"token_kl\" has ", row.ppl.token_kl.size(),
             " values and \"token_logprob\" ", row.ppl.token_logprob.size());
    return row;
}

}  // namespace

std::string compare_json(const CompareResult& res) {
    JsonWriter w;
    w.begin_object()
        .field("model", res.model)
        .field("prompt_tokens", res.prompt_tokens)
        .field("pictures", res.pictures)
        .field("reply_start", res.reply_start)
        .field("kv_budget_bytes", uint64_t(res.budget_bytes))
        .field("ppl_text", res.ppl_text)
        .field("ppl_ctx", res.ppl_ctx)
        .field("ppl_score_from", res.ppl_score_from)
        .key("rows")
        .begin_array();
    for (const CompareRow& r : res.rows) {
        w.begin_object()
            .field("kv", r.config.name())
            .field("text", r.text)
            .key("ids")
            .int_array(r.ids)
            .key("pieces")
            .begin_array();
        for (const std::string& piece : r.pieces) w.value(piece);
        w.end_array()
            .field("first_divergence", r.first_divergence)
            .field("tokens_per_s", r.tokens_per_second)
            .field("kv_bytes", uint64_t(r.kv_bytes))
            .field("kv_bytes_per_token", uint64_t(r.bytes_per_token))
            .field("ctx_in_budget", uint64_t(r.ctx_in_budget))
            .field("ppl", r.ppl.ppl)
            .field("delta_pct", r.ppl.delta_pct)
            .field("mean_kl", r.ppl.mean_kl)
            .field("top1_agree", r.ppl.top1_agree)
            .field("tokens_scored", r.ppl.tokens_scored)
            .key("token_kl")
            .begin_array();
        for (double v : r.ppl.token_kl) w.value(v);
        w.end_array().key("token_logprob").begin_array();
        for (double v : r.ppl.token_logprob) w.value(v);
        w.end_array().end_object();
    }
    w.end_array().end_object();
    return w.str();
}

CompareResult compare_from_json(const std::string& text, const std::string& what) {
    const JsonValue doc = parse_json(text, what);
    const JsonFields r(doc, what);
    CompareResult res;
    res.model = r.text("model");
    res.prompt_tokens = int(r.whole("prompt_tokens", 0));
    res.pictures = int(r.whole("pictures", 0));
    res.reply_start = r.text("reply_start");
    res.budget_bytes = size_t(r.whole("kv_budget_bytes", 0));
    res.ppl_text = r.text("ppl_text");
    res.ppl_ctx = int(r.whole("ppl_ctx", 0));
    res.ppl_score_from = int(r.whole("ppl_score_from", 0));
    const auto& rows = r.get("rows", JsonValue::Array).items;
    if (rows.empty()) fail(what, ": \"rows\" is empty; fp16's row comes first");
    for (size_t i = 0; i < rows.size(); ++i)
        res.rows.push_back(read_row(rows[i], what + " row " + std::to_string(i + 1)));
    if (res.rows[0].config.name() != "fp16")
        fail(what, ": the first row is ", res.rows[0].config.name(), ", not fp16");
    const size_t scored = res.rows[0].ppl.token_logprob.size();
    for (size_t i = 1; i < res.rows.size(); ++i)
        if (res.rows[i].ppl.token_logprob.size() != scored)
            fail(what, " row ", i + 1, ": ", res.rows[i].ppl.token_logprob.size(),
                 " tokens scored where fp16 has ", scored);
    return res;
}

}  // namespace nqkv
