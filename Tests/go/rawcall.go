package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/net/http2"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
)

// rawStatus is the grpc-status and grpc-message of one call made without grpc-go.
type rawStatus struct {
	code    codes.Code
	message string
}

// rawUnary makes one unary gRPC call by hand over h2c (HTTP/2 without TLS), sending
// grpc-timeout as given while waiting up to localWait for the answer.
//
// Why by hand: grpc-go derives grpc-timeout from its context and ends the call with its own
// timer at that same instant, so through grpc-go a DEADLINE_EXCEEDED may come from either
// side. Here the daemon is told a short deadline and the client waits longer, so the status
// that comes back can only be the daemon's.
func rawUnary(target, method string, request proto.Message, grpcTimeout,
	localWait time.Duration) (rawStatus, error) {
	payload, err := proto.Marshal(request)
	if err != nil {
		return rawStatus{}, err
	}
	framed := make([]byte, 5+len(payload)) // flag 0 (not compressed), 4-byte length
	binary.BigEndian.PutUint32(framed[1:5], uint32(len(payload)))
	copy(framed[5:], payload)

	ctx, cancel := context.WithTimeout(context.Background(), localWait)
	defer cancel()
	httpRequest, err := http.NewRequestWithContext(ctx, http.MethodPost,
		"http://"+target+method, bytes.NewReader(framed))
	if err != nil {
		return rawStatus{}, err
	}
	httpRequest.Header.Set("content-type", "application/grpc")
	httpRequest.Header.Set("te", "trailers")
	httpRequest.Header.Set("grpc-timeout", strconv.FormatInt(grpcTimeout.Milliseconds(), 10)+"m")

	transport := &http2.Transport{
		AllowHTTP: true,
		DialTLS: func(network, addr string, _ *tls.Config) (net.Conn, error) {
			return net.Dial(network, addr)
		},
	}
	defer transport.CloseIdleConnections()
	response, err := transport.RoundTrip(httpRequest)
	if err != nil {
		return rawStatus{}, fmt.Errorf("h2c %s: %v", method, err)
	}
	defer response.Body.Close()
	if _, err := io.Copy(io.Discard, response.Body); err != nil {
		return rawStatus{}, fmt.Errorf("h2c %s body: %v", method, err)
	}
	if response.StatusCode != http.StatusOK {
		return rawStatus{}, fmt.Errorf("h2c %s: HTTP %d", method, response.StatusCode)
	}
	return statusFromHeaders(response.Trailer, response.Header)
}

// statusFromHeaders reads grpc-status from the trailers, or from the headers of a
// trailers-only answer (the usual form of an error with no message body).
func statusFromHeaders(trailer, header http.Header) (rawStatus, error) {
	source := trailer
	if source.Get("grpc-status") == "" {
		source = header
	}
	value := source.Get("grpc-status")
	code, err := strconv.ParseUint(value, 10, 32)
	if err != nil {
		return rawStatus{}, fmt.Errorf("grpc-status %q is not a number", value)
	}
	// grpc-message is percent-encoded; the words the checks look for survive as they are.
	return rawStatus{code: codes.Code(code), message: source.Get("grpc-message")}, nil
}
