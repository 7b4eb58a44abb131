/* gRPC C core (Debian libgrpc-dev), for GRPCBridge only.
 *
 * Why this shim exists:
 * - grpc_op is a tagged union; filling op arrays here keeps union handling out of Swift and
 *   puts every batch the bridge starts in one readable place.
 * - GRPC_SLICE_START_PTR / GRPC_SLICE_LENGTH are function-like macros, which Swift does not
 *   import. The start pointer is read through a pointer to the caller's slice: a slice passed
 *   by value could hold its bytes inline, and a pointer into a copy would dangle.
 * - grpc_channel_args is an array of unions; the two argument sets the bridge needs are built
 *   here.
 * It can shrink when Swift imports such macros, but the batch helpers are worth keeping.
 *
 * Every pointer passed to a cgrpcb_start_* call must stay valid until its tag completes. */
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <grpc/support/log.h>
#include <string.h>

/* GRPC_PROPAGATE_DEFAULTS is a macro expression Swift does not import. */
static inline uint32_t cgrpcb_propagate_defaults(void) {
  return GRPC_PROPAGATE_DEFAULTS;
}

/* A monotonic deadline `ms` from now; a negative `ms` means no deadline. */
static inline gpr_timespec cgrpcb_deadline_after_ms(int64_t ms) {
  if (ms < 0) {
    return gpr_inf_future(GPR_CLOCK_MONOTONIC);
  }
  return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(ms, GPR_TIMESPAN));
}

/* Milliseconds from now until `deadline` (any clock; converted first, since a call's
 * deadline arrives on the clock the core chose). INT64_MAX when there is no deadline;
 * zero or negative once it has passed. */
static inline int64_t cgrpcb_ms_until(gpr_timespec deadline) {
  if (gpr_time_cmp(deadline, gpr_inf_future(deadline.clock_type)) == 0) {
    return INT64_MAX;
  }
  gpr_timespec mono = gpr_convert_clock_type(deadline, GPR_CLOCK_MONOTONIC);
  gpr_timespec left = gpr_time_sub(mono, gpr_now(GPR_CLOCK_MONOTONIC));
  return left.tv_sec * 1000 + left.tv_nsec / 1000000;
}

static inline size_t cgrpcb_slice_length(const grpc_slice *s) {
  return GRPC_SLICE_LENGTH(*s);
}

static inline const uint8_t *cgrpcb_slice_start(const grpc_slice *s) {
  return GRPC_SLICE_START_PTR(*s);
}

/* Joins every slice of a received message into one slice the caller must unref. */
static inline grpc_slice cgrpcb_byte_buffer_join(grpc_byte_buffer *bb) {
  grpc_byte_buffer_reader reader;
  if (!grpc_byte_buffer_reader_init(&reader, bb)) {
    return grpc_empty_slice();
  }
  grpc_slice joined = grpc_byte_buffer_reader_readall(&reader);
  grpc_byte_buffer_reader_destroy(&reader);
  return joined;
}

/* A byte buffer holding a copy of bytes; the caller destroys it. */
static inline grpc_byte_buffer *cgrpcb_byte_buffer_copy(const void *bytes, size_t length) {
  grpc_slice slice = grpc_slice_from_copied_buffer((const char *)bytes, length);
  grpc_byte_buffer *bb = grpc_raw_byte_buffer_create(&slice, 1);
  grpc_slice_unref(slice);
  return bb;
}

/* SO_REUSEPORT is off so that a second daemon on a busy port fails loudly instead of
 * silently sharing the port with the first. */
static inline grpc_server *cgrpcb_server_create(int max_message_bytes) {
  grpc_arg args[3];
  memset(args, 0, sizeof(args));
  args[0].type = GRPC_ARG_INTEGER;
  args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
  args[0].value.integer = max_message_bytes;
  args[1].type = GRPC_ARG_INTEGER;
  args[1].key = (char *)GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
  args[1].value.integer = max_message_bytes;
  args[2].type = GRPC_ARG_INTEGER;
  args[2].key = (char *)GRPC_ARG_ALLOW_REUSEPORT;
  args[2].value.integer = 0;
  grpc_channel_args channel_args = {3, args};
  return grpc_server_create(&channel_args, NULL);
}

static inline int cgrpcb_server_add_insecure_port(grpc_server *server, const char *address) {
  grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
  int port = grpc_server_add_http2_port(server, address, creds);
  grpc_server_credentials_release(creds);
  return port;
}

static inline grpc_channel *cgrpcb_insecure_channel_create(const char *target,
                                                           int max_message_bytes) {
  grpc_arg args[1];
  memset(args, 0, sizeof(args));
  args[0].type = GRPC_ARG_INTEGER;
  args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
  args[0].value.integer = max_message_bytes;
  grpc_channel_args channel_args = {1, args};
  grpc_channel_credentials *creds = grpc_insecure_credentials_create();
  grpc_channel *channel = grpc_channel_create(target, creds, &channel_args);
  grpc_channel_credentials_release(creds);
  return channel;
}

/* Server: learn when the call ends; *cancelled is 1 if it ended other than by our status. */
static inline grpc_call_error cgrpcb_start_recv_close(grpc_call *call, int *cancelled,
                                                      void *tag) {
  grpc_op op;
  memset(&op, 0, sizeof(op));
  op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
  op.data.recv_close_on_server.cancelled = cancelled;
  return grpc_call_start_batch(call, &op, 1, tag, NULL);
}

/* Server: receive the single request message of a unary call (*message NULL if none). */
static inline grpc_call_error cgrpcb_start_recv_message(grpc_call *call,
                                                        grpc_byte_buffer **message,
                                                        void *tag) {
  grpc_op op;
  memset(&op, 0, sizeof(op));
  op.op = GRPC_OP_RECV_MESSAGE;
  op.data.recv_message.recv_message = message;
  return grpc_call_start_batch(call, &op, 1, tag, NULL);
}

/* Server: send initial metadata, the response (when not NULL) and the status at once. */
static inline grpc_call_error cgrpcb_start_send_response(grpc_call *call,
                                                         grpc_byte_buffer *message,
                                                         grpc_status_code status,
                                                         grpc_slice *details, void *tag) {
  grpc_op ops[3];
  size_t count = 0;
  memset(ops, 0, sizeof(ops));
  ops[count].op = GRPC_OP_SEND_INITIAL_METADATA;
  count++;
  if (message != NULL) {
    ops[count].op = GRPC_OP_SEND_MESSAGE;
    ops[count].data.send_message.send_message = message;
    count++;
  }
  ops[count].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
  ops[count].data.send_status_from_server.status = status;
  ops[count].data.send_status_from_server.status_details = details;
  count++;
  return grpc_call_start_batch(call, ops, count, tag, NULL);
}

/* Client: the whole unary exchange in one batch. */
static inline grpc_call_error cgrpcb_start_unary(grpc_call *call, grpc_metadata *metadata,
                                                 size_t metadata_count,
                                                 grpc_byte_buffer *request,
                                                 grpc_metadata_array *initial_metadata,
                                                 grpc_byte_buffer **response,
                                                 grpc_metadata_array *trailing_metadata,
                                                 grpc_status_code *status,
                                                 grpc_slice *details, void *tag) {
  grpc_op ops[6];
  memset(ops, 0, sizeof(ops));
  ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
  ops[0].data.send_initial_metadata.count = metadata_count;
  ops[0].data.send_initial_metadata.metadata = metadata;
  ops[1].op = GRPC_OP_SEND_MESSAGE;
  ops[1].data.send_message.send_message = request;
  ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
  ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
  ops[3].data.recv_initial_metadata.recv_initial_metadata = initial_metadata;
  ops[4].op = GRPC_OP_RECV_MESSAGE;
  ops[4].data.recv_message.recv_message = response;
  ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
  ops[5].data.recv_status_on_client.trailing_metadata = trailing_metadata;
  ops[5].data.recv_status_on_client.status = status;
  ops[5].data.recv_status_on_client.status_details = details;
  return grpc_call_start_batch(call, ops, 6, tag, NULL);
}
