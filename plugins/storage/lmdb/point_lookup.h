// Reading one raw key from an LMDB transaction: a plain record, or an
// entry of a bucket record (see key_layout.h).
#pragma once

#include <string>
#include <string_view>

#include <lmdb.h>

#include <kahuna/status.h>

#include "key_layout.h"

namespace kahuna::lmdb_storage {

// Copies the value of `key` into `value`; kNotFound when absent. The caller
// serializes use of `txn` with its other users.
Status point_lookup(MDB_txn* txn, MDB_dbi dbi, const KeyLayout& layout, std::string_view key,
                    std::string& value);

}  // namespace kahuna::lmdb_storage
