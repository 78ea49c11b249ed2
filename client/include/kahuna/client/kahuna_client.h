// The Kahuna C++ SDK in one include: the coroutine API (AsyncClient), the
// blocking API (Client), lock handles, transactions, options and results.
#pragma once

#include <kahuna/client/async_client.h>
#include <kahuna/client/async_transaction.h>
#include <kahuna/client/call_options.h>
#include <kahuna/client/client.h>
#include <kahuna/client/client_options.h>
#include <kahuna/client/lock_handle.h>
#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>
#include <kahuna/client/transaction.h>
#include <kahuna/client/transaction_status.h>
