// The HTML report: self-contained (nothing fetched, no script run), the verdict and causes first, the host
// picture built from the facts, the JSON report embedded unchanged, and host text unable to become markup.
#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "host_picture.hpp"
#include "html_escape.hpp"
#include "renderers.hpp"
#include "report_samples.hpp"

namespace ptdoctor::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  std::size_t start = text.find(open);
  if (start == std::string::npos) return "";
  start += open.size();
  return text.substr(start, text.find(close, start) - start);
}

TEST(HtmlReport, IsOneSelfContainedPage) {
  std::string html = render_html(testing::caused_report(), {});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("default-src 'none'"));  // the page itself forbids fetching anything
  // No external resource of any kind: no src/href attribute, no url(), no @import, no executable script. A link
  // the reader may follow (a rule's reference, <a href="https://...">) fetches nothing by itself.
  const std::string without_links = std::regex_replace(html, std::regex(R"(<a href="https?://[^"<>]*">)"), "<a>");
  EXPECT_FALSE(std::regex_search(without_links, std::regex(R"((src|href)\s*=)", std::regex::icase)));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  std::size_t scripts = 0;
  for (std::size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) {
    ++scripts;
    EXPECT_EQ(html.compare(at, 31, "<script type=\"application/json\""), 0) << "only data, never code";
  }
  EXPECT_EQ(scripts, 1u);
}

TEST(HtmlReport, VerdictAndCausesComeBeforeThePictureAndTheDetails) {
  std::string html = render_html(testing::caused_report(), {});
  std::size_t verdict = html.find("id=\"verdict\" data-verdict=\"not-ready\"");
  std::size_t causes = html.find("<section id=\"first-steps\">");
  std::size_t picture = html.find("<section id=\"picture\">");
  std::size_t details = html.find("<section id=\"details\">");
  ASSERT_NE(verdict, std::string::npos);
  EXPECT_LT(verdict, causes);
  EXPECT_LT(causes, picture);
  EXPECT_LT(picture, details);
  std::string first = between(html, "<ol class=\"causes\">", "</ol>");
  EXPECT_LT(first.find("data-rule=\"cpu.not-a-guest\""), first.find("data-rule=\"gpu.flr\""));
  EXPECT_THAT(first, HasSubstr("data-count=\"3\">Then 3 more follow from it: <code>kernel.dom0-support</code>"));
}

TEST(HtmlReport, EmbedsTheJsonReportUnchanged) {
  RunReport report = testing::hostile_report();
  std::string html = render_html(report, {});
  std::string embedded = between(html, "<script type=\"application/json\" id=\"ptdoctor-report\">\n", "</script>");
  Json parsed = Json::parse(embedded, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed, Json::parse(render_json(report, {})));
  EXPECT_THAT(embedded, Not(HasSubstr("</")));  // no string can close the element early
}

TEST(HtmlReport, HostTextNeverBecomesMarkup) {
  std::string html = render_html(testing::hostile_report(), {});
  std::string page = html.substr(0, html.find("<script type=\"application/json\""));
  EXPECT_THAT(page, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page, Not(HasSubstr("\x1b")));
}

TEST(HostPicture, DrawsTheTreeGroupsTargetAndReadinessFromTheFacts) {
  HostPicture picture = host_picture(testing::caused_report());
  EXPECT_EQ(picture.grouping, "iommu");
  ASSERT_EQ(picture.devices.size(), 4u);
  EXPECT_EQ(picture.devices[2].bdf, "0000:01:00.0");
  EXPECT_EQ(picture.devices[2].depth, 1);  // below its root port
  EXPECT_TRUE(picture.devices[2].target);
  EXPECT_TRUE(picture.devices[3].target);
  EXPECT_FALSE(picture.devices[0].target);
  EXPECT_EQ(picture.devices[2].readiness, Readiness::kWarning);  // gpu.flr failed (warning) on it
  EXPECT_EQ(picture.devices[0].readiness, Readiness::kNotJudged);
  std::string svg = host_picture_svg(picture);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"host-picture\"", 0), 0u);
  EXPECT_THAT(svg, HasSubstr("class=\"device readiness-warning target\" data-bdf=\"0000:01:00.0\""));
  EXPECT_THAT(svg, HasSubstr("Radeon &lt;RX&gt; 580"));
  // Group 1 holds three present functions: one lane; group 0 holds one and gets none.
  EXPECT_THAT(svg, HasSubstr("class=\"group\" data-group=\"1\" data-members=\"0000:00:01.0 0000:01:00.0 0000:01:00.1\""));
  EXPECT_THAT(svg, Not(HasSubstr("class=\"group\" data-group=\"0\"")));
}

TEST(HostPicture, WithoutIommuGroupsUsesUsbCompanionsAndSharedRmrrs) {
  RunReport report = testing::caused_report();
  report.edit_facts()["pci"].erase("iommu_groups");
  report.edit_facts()["pci"]["devices"].push_back({{"bdf", "0000:00:1d.0"}, {"class", "USB controller"}});
  report.edit_facts()["pci"]["devices"].push_back({{"bdf", "0000:00:1d.7"}, {"class", "USB controller"}});
  report.edit_facts()["usb"]["controllers"] = Json::parse(R"([
    {"bdf": "0000:00:1d.7", "type": "ehci", "companions": ["0000:00:1d.0"], "rmrr_shared_with": ["0000:00:1d.0"]},
    {"bdf": "0000:00:1d.0", "type": "uhci", "companions": [], "rmrr_shared_with": null}])");
  HostPicture picture = host_picture(report);
  EXPECT_EQ(picture.grouping, "xen");
  ASSERT_EQ(picture.groups.size(), 1u);  // the companion set and the RMRR set are the same two functions
  EXPECT_EQ(picture.groups[0].members, (std::vector<std::string>{"0000:00:1d.0", "0000:00:1d.7"}));
  EXPECT_THAT(host_picture_svg(picture), HasSubstr("data-grouping=\"xen\""));
}

TEST(HostPicture, NoDevicesGivesANoteNotAnEmptyPicture) {
  HostPicture picture = host_picture(testing::empty_report());
  EXPECT_TRUE(picture.devices.empty());
  EXPECT_THAT(host_picture_svg(picture), HasSubstr("No PCI devices were collected"));
}

TEST(HtmlReport, BacktickSpansInRuleProseBecomeCodeAndTheRestStaysProse) {
  EXPECT_EQ(html_prose("Add `xen-pciback` to /etc/modules, then run `update-initramfs -u`"),
            "Add <code>xen-pciback</code> to /etc/modules, then run <code>update-initramfs -u</code>");
  // Markup inside or outside a span stays text; an unpaired backtick stays a backtick.
  EXPECT_EQ(html_prose("`<b>` & `x"), "<code>&lt;b&gt;</code> &amp; `x");
  EXPECT_EQ(html_prose("no spans"), "no spans");
  EXPECT_EQ(html_prose("``"), "<code></code>");
}

TEST(HtmlReport, ReferencesAreLinksOnlyForWebAddresses) {
  EXPECT_EQ(html_reference("https://xenbits.xen.org/docs/unstable/man/xl.cfg.5.html"),
            "<a href=\"https://xenbits.xen.org/docs/unstable/man/xl.cfg.5.html\">"
            "https://xenbits.xen.org/docs/unstable/man/xl.cfg.5.html</a>");
  EXPECT_EQ(html_reference("javascript:alert(1)"), "javascript:alert(1)");
  EXPECT_EQ(html_reference("docs/fixing.md"), "docs/fixing.md");
  EXPECT_EQ(html_reference("https://a\" onmouseover=\"x"), "https://a&quot; onmouseover=&quot;x");
}

}  // namespace
}  // namespace ptdoctor::reports
