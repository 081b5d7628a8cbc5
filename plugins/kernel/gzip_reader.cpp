#include "gzip_reader.hpp"

#include <string_view>

#include <zlib.h>

namespace ptdoctor::hostplug {

Gunzipped gunzip(std::string_view compressed, std::size_t max_output) {
  Gunzipped result;
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header and trailer (zlib manual, inflateInit2).
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    result.error = "zlib could not be initialised";
    return result;
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  char buffer[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    result.data.append(buffer, sizeof buffer - stream.avail_out);
    if (result.data.size() > max_output) {
      result.error = "decompressed data larger than " + std::to_string(max_output) + " bytes, stopped";
      break;
    }
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) {
      result.error = "truncated: the compressed data ends at offset " + std::to_string(stream.total_in) +
                     " before the end of the gzip stream";
      break;
    }
  }
  if (!result.error && rc == Z_DATA_ERROR && stream.msg && std::string_view(stream.msg).find("check") != std::string_view::npos) {
    // The trailer's CRC or length does not match: the damage could be anywhere in what was decoded.
    result.error = std::string("the data fails its gzip check (") + stream.msg + "): the file is corrupt and every " +
                   "option read from it is suspect";
  } else if (!result.error && rc != Z_STREAM_END) {
    result.error = "corrupt data at compressed offset " + std::to_string(stream.total_in) + ": " +
                   (stream.msg ? stream.msg : "zlib error " + std::to_string(rc));
  }
  inflateEnd(&stream);
  return result;
}

}  // namespace ptdoctor::hostplug
