// Hand-written, beside the generated client: a run's events as Server-Sent
// Events (POST /run with Accept: text/event-stream, and GET /runs/{id}/events),
// which an OpenAPI generator cannot describe.
package clawdforge

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Event is one event of a run: Seq its number, Type its kind (queued, started,
// text, tool, retry, rate_limit, result, error), Data its JSON data.
type Event struct {
	Seq  int
	Type string
	Data json.RawMessage
}

// EventStream reads a run's events one at a time; Close it when done (closing
// a POST /run stream early cancels the run).
type EventStream struct {
	body    io.ReadCloser
	scanner *bufio.Scanner
}

// EventStreamError is a refusal before the stream started: the status and the error envelope.
type EventStreamError struct {
	StatusCode int
	Body       ErrorBody
}

func (e *EventStreamError) Error() string {
	return fmt.Sprintf("clawdforge: %d %s: %s", e.StatusCode, e.Body.Error.Code, e.Body.Error.Message)
}

// StreamRun runs a prompt and returns its events as they happen; the last is
// "result" (a RunResponse) or "error" (an ErrorBody).
func (c *Client) StreamRun(ctx context.Context, body RunJSONRequestBody, reqEditors ...RequestEditorFn) (*EventStream, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return c.openEvents(ctx, http.MethodPost, "run", bytes.NewReader(payload), nil, reqEditors)
}

// RunEvents follows an async run's events, from the start or after lastEventID (0: from the start).
func (c *Client) RunEvents(ctx context.Context, runID string, lastEventID int, reqEditors ...RequestEditorFn) (*EventStream, error) {
	headers := map[string]string{}
	if lastEventID > 0 {
		headers["Last-Event-ID"] = strconv.Itoa(lastEventID)
	}
	return c.openEvents(ctx, http.MethodGet, "runs/"+url.PathEscape(runID)+"/events", nil, headers, reqEditors)
}

func (c *Client) openEvents(ctx context.Context, method, path string, body io.Reader, headers map[string]string, reqEditors []RequestEditorFn) (*EventStream, error) {
	base, err := url.Parse(c.Server)
	if err != nil {
		return nil, err
	}
	target, err := base.Parse(path)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, target.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for name, value := range headers {
		req.Header.Set(name, value)
	}
	if err := c.applyEditors(ctx, req, reqEditors); err != nil {
		return nil, err
	}
	resp, err := c.Client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		defer resp.Body.Close()
		refusal := &EventStreamError{StatusCode: resp.StatusCode}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&refusal.Body)
		return nil, refusal
	}
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 64*1024), 16*1024*1024) // one event's data is one line, however long
	return &EventStream{body: resp.Body, scanner: scanner}, nil
}

// Next returns the next event, or io.EOF once the stream has ended.
func (s *EventStream) Next() (*Event, error) {
	event := &Event{}
	var data []string
	for s.scanner.Scan() {
		line := strings.TrimSuffix(s.scanner.Text(), "\r")
		if line == "" {
			if len(data) > 0 {
				event.Data = json.RawMessage(strings.Join(data, "\n"))
				return event, nil
			}
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue // a heartbeat
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			event.Seq, _ = strconv.Atoi(value)
		case "event":
			event.Type = value
		case "data":
			data = append(data, value)
		}
	}
	if err := s.scanner.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

// Close ends the stream.
func (s *EventStream) Close() error {
	return s.body.Close()
}
