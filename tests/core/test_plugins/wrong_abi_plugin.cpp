// Declares an ABI from the future; the loader must refuse it without calling its factory.
#include <cstdlib>
#include <memory>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "ptdoctor/plugin_api.hpp"

namespace wrong_abi {
std::unique_ptr<ptdoctor::Plugin> create() { std::abort(); }  // never reached: the ABI check comes first
}  // namespace wrong_abi

extern "C" BOOST_SYMBOL_EXPORT int ptdoctor_plugin_abi() { return ptdoctor::kPluginAbiVersion + 100; }
BOOST_DLL_ALIAS(wrong_abi::create, ptdoctor_plugin_factory)
