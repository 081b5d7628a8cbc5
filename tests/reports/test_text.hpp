#pragma once
// Small helpers the renderer tests share to look at rendered output.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::testing {

std::vector<std::string> lines_of(std::string_view text);
bool is_valid_utf8(std::string_view text);
// Code points from the start of `line` to byte offset `offset`: the column a terminal shows it at.
std::size_t column_of(std::string_view line, std::size_t offset);
// Lines holding `needle`.
std::vector<std::string> lines_with(std::string_view text, std::string_view needle);

}  // namespace ptdoctor::testing
