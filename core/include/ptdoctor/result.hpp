#pragma once
// Errors as values at boundaries: a Result<T> holds either a T or an Error that says what went wrong and where.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ptdoctor {

// Why a value could not be had. Kinds let callers turn "missing" into an honest "unknown" with a reason
// (not present / not root / not captured) instead of a failure.
enum class ErrorKind {
  kNotFound,          // the file, fact or device is not there
  kPermissionDenied,  // present but unreadable as this user (usually: not root)
  kNotCaptured,       // offline root without the command capture that would answer
  kEscapesRoot,       // a path or link that would leave the host root
  kInvalidInput,      // malformed data: the message says which file, offset or line
  kIo,                // any other system error
  kTimeout,           // a command did not finish in time
  kUnsupported,       // this build or kernel cannot do it
};

const char* to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kIo;
  std::string message;
};

inline Error make_error(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(state_); }

  T value_or(T fallback) const { return ok() ? std::get<0>(state_) : std::move(fallback); }

 private:
  std::variant<T, Error> state_;
};

// For operations that produce nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace ptdoctor
