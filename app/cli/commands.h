// The `nqkv` subcommands. Each parses its own arguments (with --help) and returns an exit code;
// errors are thrown as nqkv::Error and printed by main.
#pragma once

#include <string>

namespace nqkv::cli {

int cmd_generate(int argc, char** argv);
int cmd_chat(int argc, char** argv);
int cmd_tokenize(int argc, char** argv);
int cmd_info(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_ppl(int argc, char** argv);
int cmd_compare(int argc, char** argv);
int cmd_kv_stats(int argc, char** argv);
int cmd_kv_block(int argc, char** argv);
int cmd_ar(int argc, char** argv);
int cmd_eval_ar(int argc, char** argv);
int cmd_synth_model(int argc, char** argv);
int cmd_convert_llama2c(int argc, char** argv);

// Reads a whole text file; Error naming the file on failure.
std::string read_text_file(const std::string& path);

class Args;
// The -p/--prompt text, or the contents of -f/--file; an Error saying how to give one otherwise.
std::string prompt_or_file(const Args& a, const char* noun, const char* metavar);
// Bytes as "12.3 MiB".
std::string human_bytes(double bytes);
// nqkv info --mmproj: a vision projector described (info_vision.cpp).
int print_vision_info(const std::string& path, bool json);
// nqkv bench --mmproj: seconds per picture (bench_vision.cpp).
int bench_vision(const Args& a);

}  // namespace nqkv::cli
