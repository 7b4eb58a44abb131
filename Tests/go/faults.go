package main

import (
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"

	pb "nodeselector-go-contract/gen/nodeselectorpb"
)

// deadlineBudget is the caller's deadline while the new node's agent never answers.
const deadlineBudget = 2 * time.Second

// cloudFailureChecks: UNAVAILABLE when no location has capacity, DEADLINE_EXCEEDED when the
// caller's deadline ends while SelectNode waits for a node that does not come up.
func (s *suite) cloudFailureChecks() {
	s.check("SelectNode when no location has capacity gives UNAVAILABLE", func() error {
		defer s.sim.clearFaults()
		before, err := s.sim.servers()
		if err != nil {
			return err
		}
		if err := s.sim.addFaults(map[string]interface{}{
			"op": "create_server", "times": -1, "status": 412, "code": "resource_unavailable",
		}); err != nil {
			return err
		}
		_, err = s.provision("go-nocap", "go-u1", provisionTimeout)
		if err := wantStatus(err, codes.Unavailable, "failed"); err != nil {
			return err
		}
		after, err := s.sim.servers()
		if err != nil {
			return err
		}
		if len(after) != len(before) {
			return fmt.Errorf("the simulator had %d servers and now has %d", len(before),
				len(after))
		}
		return nil
	})
	s.check("SelectNode gives DEADLINE_EXCEEDED when the caller's deadline ends first",
		func() error {
			defer s.sim.clearFaults()
			if err := s.sim.addFaults(map[string]interface{}{
				"op": "health", "health_never": true,
			}); err != nil {
				return err
			}
			started := time.Now()
			_, err := s.provision("go-slow", "go-d1", deadlineBudget)
			took := time.Since(started)
			if err := wantStatus(err, codes.DeadlineExceeded); err != nil {
				return err
			}
			s.detail = deadlineOrigin(err) + fmt.Sprintf(", after %s", took.Round(time.Millisecond))
			if took > deadlineBudget+3*time.Second {
				return fmt.Errorf("took %s for a %s deadline", took, deadlineBudget)
			}
			return s.wantStillBooting("go-slow")
		})
	s.check("SelectNode's daemon itself answers DEADLINE_EXCEEDED when grpc-timeout ends",
		func() error {
			defer s.sim.clearFaults()
			if err := s.sim.addFaults(map[string]interface{}{
				"op": "health", "health_never": true,
			}); err != nil {
				return err
			}
			started := time.Now()
			got, err := rawUnary(s.target, "/nodeselector.v1.NodeSelector/SelectNode",
				provisionRequest("go-slow-h2c", "go-d2"), deadlineBudget, 4*deadlineBudget)
			took := time.Since(started)
			if err != nil {
				return err
			}
			s.detail = fmt.Sprintf("hand-made h2c call, %s, after %s",
				daemonDeadlineVoice(got.message), took.Round(time.Millisecond))
			if got.code != codes.DeadlineExceeded {
				return fmt.Errorf("got %s %q, want DEADLINE_EXCEEDED", got.code, got.message)
			}
			if took > deadlineBudget+3*time.Second {
				return fmt.Errorf("took %s for a %s grpc-timeout", took, deadlineBudget)
			}
			return s.wantStillBooting("go-slow-h2c")
		})
}

// deadlineOrigin tells whether the daemon answered DEADLINE_EXCEEDED itself (its message
// says what to do next) or grpc-go's own timer fired first. Both are correct: the two
// clocks end at the same instant unless the daemon answers a little early.
// The daemon answers 100 ms early (CallBudget), but on a loaded machine grpc-go's timer can
// still win that race, so this check accepts either; the hand-made h2c call in rawcall.go
// is the one that requires the daemon's own answer.
func deadlineOrigin(err error) string {
	if strings.Contains(err.Error(), "GetNode") {
		return "answered by the daemon"
	}
	return "ended by grpc-go's timer"
}

// daemonDeadlineVoice tells which part of the daemon ended the call: SelectNode's handler
// names the node and what to do next; the gRPC C core's own deadline timer says only
// "Deadline Exceeded". Both are DEADLINE_EXCEEDED, which is what the contract promises.
func daemonDeadlineVoice(message string) string {
	if strings.Contains(message, "GetNode") {
		return "the handler's message"
	}
	return fmt.Sprintf("the gRPC core's message %q", message)
}

// wantStillBooting: after a deadline, the node row exists and is still coming up, so the
// caller can follow it with GetNode or retry with the same task id.
func (s *suite) wantStillBooting(user string) error {
	ctx, cancel := call(callTimeout)
	defer cancel()
	answer, err := s.ns.ListNodes(ctx, &pb.ListNodesRequest{UserId: user})
	if err != nil {
		return fmt.Errorf("ListNodes after the deadline: %v", err)
	}
	nodes := answer.GetNodes()
	if len(nodes) != 1 {
		return fmt.Errorf("%d nodes for %s after the deadline, want 1", len(nodes), user)
	}
	state := nodes[0].GetState()
	if state != pb.NodeState_NODE_STATE_CREATING && state != pb.NodeState_NODE_STATE_BOOTING {
		return fmt.Errorf("node %s is %s after the deadline, want CREATING or BOOTING",
			nodes[0].GetId(), state)
	}
	return nil
}

// protocolChecks: calls that no generated stub makes. An unknown method or service gives
// UNIMPLEMENTED; bytes that are not the request message give INVALID_ARGUMENT; the daemon
// keeps serving after both.
func (s *suite) protocolChecks() {
	unknown := []string{"/nodeselector.v1.NodeSelector/Nope", "/no.such.v1.Service/Call"}
	for _, method := range unknown {
		method := method
		s.check("unknown method "+method+" gives UNIMPLEMENTED", func() error {
			ctx, cancel := call(callTimeout)
			defer cancel()
			err := s.conn.Invoke(ctx, method, &pb.GetNodeRequest{NodeId: "n-1"},
				&pb.GetNodeResponse{})
			return wantStatus(err, codes.Unimplemented)
		})
	}
	s.check("GetNode with bytes that are not a GetNodeRequest gives INVALID_ARGUMENT",
		func() error {
			ctx, cancel := call(callTimeout)
			defer cancel()
			var reply []byte
			err := s.conn.Invoke(ctx, "/nodeselector.v1.NodeSelector/GetNode",
				[]byte{0xff, 0xff, 0xff}, &reply, grpc.ForceCodec(rawCodec{}))
			return wantStatus(err, codes.InvalidArgument)
		})
	s.check("Health/Check still answers SERVING after the bad calls", func() error {
		return s.wantServing("")
	})
}

// rawCodec sends bytes as they are, to put a malformed message on the wire. It keeps the
// name "proto" so the content type is the one the daemon expects.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) {
	raw, ok := v.([]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec sends []byte, not %T", v)
	}
	return raw, nil
}

func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	out, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec receives into *[]byte, not %T", v)
	}
	*out = append((*out)[:0], data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }
