#pragma once

#include "Error.h"

#include <utility>
#include <variant>

namespace wharf {

// A value or the structured Error explaining why there is none (std::expected is C++23).
template<class T>
class Expected
{
public:
    Expected(const T &value)
        : m_data(value)
    {}
    Expected(T &&value)
        : m_data(std::move(value))
    {}
    Expected(const Error &error)
        : m_data(error)
    {}
    Expected(Error &&error)
        : m_data(std::move(error))
    {}

    bool hasValue() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return hasValue(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations that produce nothing but may fail.
struct Done
{};

} // namespace wharf
