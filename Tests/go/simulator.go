package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// simulator talks to the admin endpoints of scripts/hetzner_simulator.py (no auth needed):
// it scripts the cloud faults that UNAVAILABLE and DEADLINE_EXCEEDED need and lists the
// servers the daemon created, so checks can prove nothing leaked.
type simulator struct {
	baseURL string
	client  *http.Client
}

// simServer is the part of a simulated server the checks look at.
type simServer struct {
	ID     int64             `json:"id"`
	Labels map[string]string `json:"labels"`
	Status string            `json:"status"`
}

func newSimulator(baseURL string) *simulator {
	// Proxy nil: the simulator is on loopback and must be reached directly.
	transport := &http.Transport{Proxy: nil}
	return &simulator{baseURL: baseURL, client: &http.Client{
		Transport: transport, Timeout: 10 * time.Second,
	}}
}

// addFaults installs fault rules (see hetzner_simulator.py --help for the format).
func (sim *simulator) addFaults(rules ...map[string]interface{}) error {
	_, err := sim.do(http.MethodPost, "/_sim/faults", rules)
	return err
}

// clearFaults removes every fault rule, so later checks see a healthy cloud.
func (sim *simulator) clearFaults() error {
	_, err := sim.do(http.MethodDelete, "/_sim/faults", nil)
	return err
}

func (sim *simulator) servers() ([]simServer, error) {
	body, err := sim.do(http.MethodGet, "/_sim/servers", nil)
	if err != nil {
		return nil, err
	}
	var listed struct {
		Servers []simServer `json:"servers"`
	}
	if err := json.Unmarshal(body, &listed); err != nil {
		return nil, fmt.Errorf("simulator servers: %v", err)
	}
	return listed.Servers, nil
}

// serverByID finds a simulated server; nil when it does not exist (or no longer does).
func (sim *simulator) serverByID(id int64) (*simServer, error) {
	servers, err := sim.servers()
	if err != nil {
		return nil, err
	}
	for i := range servers {
		if servers[i].ID == id {
			return &servers[i], nil
		}
	}
	return nil, nil
}

func (sim *simulator) do(method, path string, payload interface{}) ([]byte, error) {
	var body io.Reader
	if payload != nil {
		encoded, err := json.Marshal(payload)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(encoded)
	}
	request, err := http.NewRequest(method, sim.baseURL+path, body)
	if err != nil {
		return nil, err
	}
	request.Header.Set("Content-Type", "application/json")
	response, err := sim.client.Do(request)
	if err != nil {
		return nil, fmt.Errorf("simulator %s %s: %v", method, path, err)
	}
	defer response.Body.Close()
	answer, err := io.ReadAll(response.Body)
	if err != nil {
		return nil, err
	}
	if response.StatusCode >= 300 {
		return nil, fmt.Errorf("simulator %s %s: HTTP %d: %s", method, path,
			response.StatusCode, answer)
	}
	return answer, nil
}
