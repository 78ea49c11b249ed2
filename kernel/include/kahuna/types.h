// Every value type of the client-facing operations — requests, replies,
// codes, call options, cluster status — without the server's interface
// (kahuna/kernel_api.h). What the SDK and the wire codec include.
#pragma once

#include <kahuna/hlc_timestamp.h>
#include <kahuna/service_types.h>
#include <kahuna/types/call.h>
#include <kahuna/types/cluster_status.h>
#include <kahuna/types/requests.h>
