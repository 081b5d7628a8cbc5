#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ptdoctor/render.hpp"
#include "report_samples.hpp"

namespace ptdoctor {
namespace {

using ::testing::HasSubstr;

TEST(RenderDispatch, EachFormatReachesItsRenderer) {
  RunReport report = testing::full_report();
  auto text = render_report(report, "text", {});
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("Verdict: NOT READY"));
  auto json = render_report(report, "json", {});
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"verdict\": \"not-ready\""));
  auto markdown = render_report(report, "md", {});
  ASSERT_TRUE(markdown.ok());
  EXPECT_THAT(*markdown, HasSubstr("# ptdoctor: NOT READY"));
}

TEST(RenderDispatch, UnknownFormatNamesTheChoices) {
  auto rendered = render_report(testing::full_report(), "yaml", {});
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(rendered.error().message, HasSubstr("'yaml'"));
  EXPECT_THAT(rendered.error().message, HasSubstr("text, json, markdown or html"));
}

}  // namespace
}  // namespace ptdoctor
