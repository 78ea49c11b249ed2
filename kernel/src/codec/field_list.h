// A struct's encoding written once: the list of its fields, in the order
// they travel.
//
//   KAHUNA_FIELDS(LockRequest, resource, owner, expires_ms, durability)
//
// declares, in the current namespace,
//
//   template <class Io, codec::Of<LockRequest> Value>
//   void fields(Io& io, Value& value) { io("resource", value.resource); ... }
//
// which a codec calls with its own Io: a writer that takes each field by
// const reference and appends it, or a reader that fills it in. One list thus
// serves both directions, and each format (the binary protocol's fixed-width
// integers, the Raft log's varints) decides only how one value of each type is
// spelled. A codec finds the lists by argument-dependent lookup through its
// Io, so they live in the codec's namespace.
#pragma once

#include <type_traits>

#include <boost/preprocessor/seq/for_each.hpp>
#include <boost/preprocessor/stringize.hpp>
#include <boost/preprocessor/variadic/to_seq.hpp>

namespace kahuna::codec {

// `Value` is `Type` or `const Type`: a writer visits a const value, a reader
// a mutable one.
template <class Value, class Type>
concept Of = std::is_same_v<std::remove_const_t<Value>, Type>;

// Whether `fields(io, value)` names a field list for `Value`.
template <class Io, class Value>
concept HasFields = requires(Io& io, Value& value) {
  fields(io, value);
};

}  // namespace kahuna::codec

#define KAHUNA_FIELD_VISIT(r, data, member) io(BOOST_PP_STRINGIZE(member), value.member);

#define KAHUNA_FIELDS(Type, ...)                                                        \
  template <class Io, ::kahuna::codec::Of<Type> Value>                                  \
  void fields(Io& io, Value& value) {                                                   \
    BOOST_PP_SEQ_FOR_EACH(KAHUNA_FIELD_VISIT, _, BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__)) \
  }
