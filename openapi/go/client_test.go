// The generated Go client against a live service: the built server of this
// repository (npm run build), with the fake CLI, started once for the package.
package clawdforge

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const adminToken = "go-admin-token-0123456789abcdef"

var serviceURL string

func TestMain(m *testing.M) {
	root, _ := filepath.Abs("../..")
	main := filepath.Join(root, "packages/server/dist/main.js")
	if _, err := os.Stat(main); err != nil {
		fmt.Fprintf(os.Stderr, "%s is missing: run `npm run build` first (npm test does)\n", main)
		os.Exit(1)
	}
	dataDir, err := os.MkdirTemp("", "clawdforge-go-test-")
	if err != nil {
		panic(err)
	}
	service := exec.Command("node", main)
	service.Dir = dataDir
	service.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dataDir, "HOST=127.0.0.1", "PORT=0", "DATA_DIR=" + dataDir,
		"ADMIN_BOOTSTRAP_TOKEN=" + adminToken, "CLAUDE_BIN=" + filepath.Join(root, "packages/server/test/fixtures/fake-claude.mjs"),
	}
	stdout, _ := service.StdoutPipe()
	service.Stderr = os.Stderr
	if err := service.Start(); err != nil {
		panic(err)
	}
	listening := regexp.MustCompile(`"url":"(http:[^"]+)"`)
	lines := bufio.NewScanner(stdout)
	for serviceURL == "" && lines.Scan() {
		if match := listening.FindStringSubmatch(lines.Text()); match != nil {
			serviceURL = match[1]
		}
	}
	go func() { // keep reading the log, so the service never blocks on a full pipe
		for lines.Scan() {
		}
	}()
	code := 1
	if serviceURL != "" {
		code = m.Run()
	} else {
		fmt.Fprintln(os.Stderr, "the service did not start")
	}
	_ = service.Process.Signal(os.Interrupt)
	_ = service.Wait()
	_ = os.RemoveAll(dataDir)
	os.Exit(code)
}

func bearer(token string) RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

func newClient(t *testing.T) *ClientWithResponses {
	t.Helper()
	client, err := NewClientWithResponses(serviceURL, WithHTTPClient(&http.Client{Timeout: 60 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// appToken mints a token for one test, through the admin API.
func appToken(t *testing.T, client *ClientWithResponses) string {
	t.Helper()
	created, err := client.CreateTokenWithResponse(context.Background(), CreateTokenJSONRequestBody{Name: "go-" + strings.ToLower(t.Name())}, bearer(adminToken))
	if err != nil {
		t.Fatal(err)
	}
	if created.JSON201 == nil {
		t.Fatalf("minting a token: %d %s", created.StatusCode(), created.Body)
	}
	return created.JSON201.Token
}

func TestRun(t *testing.T) {
	client := newClient(t)
	token := appToken(t, client)
	answer, err := client.RunWithResponse(context.Background(), RunJSONRequestBody{Prompt: "[[text:hello from go]]"}, bearer(token))
	if err != nil {
		t.Fatal(err)
	}
	if answer.JSON200 == nil {
		t.Fatalf("run: %d %s", answer.StatusCode(), answer.Body)
	}
	if answer.JSON200.Result != "hello from go" || !strings.HasPrefix(answer.JSON200.RunId, "run_") {
		t.Fatalf("unexpected answer: %+v", answer.JSON200)
	}
}

func TestUploadAttachedToARun(t *testing.T) {
	client := newClient(t)
	token := appToken(t, client)
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	part, _ := form.CreateFormFile("file", "notes.txt")
	_, _ = part.Write([]byte("the notes"))
	_ = form.Close()
	uploaded, err := client.UploadFileWithBodyWithResponse(context.Background(), form.FormDataContentType(), &body, bearer(token))
	if err != nil {
		t.Fatal(err)
	}
	if uploaded.JSON201 == nil {
		t.Fatalf("upload: %d %s", uploaded.StatusCode(), uploaded.Body)
	}
	if uploaded.JSON201.Size != len("the notes") || uploaded.JSON201.Name != "notes.txt" {
		t.Fatalf("unexpected file: %+v", uploaded.JSON201)
	}
	files := []string{uploaded.JSON201.FileToken}
	answer, err := client.RunWithResponse(context.Background(), RunJSONRequestBody{Prompt: "read it", Files: &files}, bearer(token))
	if err != nil {
		t.Fatal(err)
	}
	if answer.JSON200 == nil {
		t.Fatalf("run: %d %s", answer.StatusCode(), answer.Body)
	}
	// With no marker the fake CLI answers a report of what it was given: the file in its directory, named in the prompt.
	report, ok := answer.JSON200.Result.(map[string]interface{})
	if !ok {
		t.Fatalf("unexpected result: %#v", answer.JSON200.Result)
	}
	if cwdFiles := fmt.Sprint(report["cwd_files"]); !strings.Contains(cwdFiles, ".txt") {
		t.Fatalf("the attachment is not in the run's directory: %s", cwdFiles)
	}
	if prompt := fmt.Sprint(report["prompt"]); !strings.Contains(prompt, `uploaded as "notes.txt"`) {
		t.Fatalf("the prompt does not name the attachment: %s", prompt)
	}
}

func TestErrorsDecodeIntoTheEnvelope(t *testing.T) {
	client := newClient(t)
	refused, err := client.RunWithResponse(context.Background(), RunJSONRequestBody{Prompt: "x"}, bearer("cf_wrong"))
	if err != nil {
		t.Fatal(err)
	}
	if refused.StatusCode() != 401 || refused.JSON401 == nil {
		t.Fatalf("a wrong token: %d %s", refused.StatusCode(), refused.Body)
	}
	if refused.JSON401.Error.Code != ErrorBodyErrorCodeUnauthorized || refused.JSON401.Error.RequestId == nil || *refused.JSON401.Error.RequestId == "" {
		t.Fatalf("unexpected envelope: %+v", refused.JSON401)
	}
	invalid, err := client.RunWithResponse(context.Background(), RunJSONRequestBody{Prompt: ""}, bearer(appToken(t, client)))
	if err != nil {
		t.Fatal(err)
	}
	if invalid.JSON400 == nil || invalid.JSON400.Error.Code != ErrorBodyErrorCodeInvalidRequest {
		t.Fatalf("an empty prompt: %d %s", invalid.StatusCode(), invalid.Body)
	}
}

func TestStreamRunGivesTheEventsThenTheResult(t *testing.T) {
	client := newClient(t)
	stream, err := client.ClientInterface.(*Client).StreamRun(context.Background(), RunJSONRequestBody{Prompt: "[[text:streamed to go]]"}, bearer(appToken(t, client)))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	var text string
	for _, event := range readAll(t, stream) {
		types = append(types, event.Type)
		if event.Type == "text" {
			var delta struct{ Text string }
			_ = json.Unmarshal(event.Data, &delta)
			text += delta.Text
		}
	}
	if strings.Join(types, ",") != "queued,started,text,text,text,result" || text != "streamed to go" {
		t.Fatalf("unexpected events %v, text %q", types, text)
	}
}

func TestAsyncRunEventsResumeAfterLastEventID(t *testing.T) {
	client := newClient(t)
	token := appToken(t, client)
	started, err := client.StartRunWithResponse(context.Background(), StartRunJSONRequestBody{Prompt: "[[text:a b c]]"}, bearer(token))
	if err != nil || started.JSON202 == nil {
		t.Fatalf("start: %v %s", err, started.Body)
	}
	stream, err := client.ClientInterface.(*Client).RunEvents(context.Background(), started.JSON202.RunId, 4, bearer(token))
	if err != nil {
		t.Fatal(err)
	}
	var seqs []int
	for _, event := range readAll(t, stream) {
		seqs = append(seqs, event.Seq)
	}
	if fmt.Sprint(seqs) != "[5 6]" {
		t.Fatalf("resumed after 4, got %v", seqs)
	}
	_, err = client.ClientInterface.(*Client).RunEvents(context.Background(), started.JSON202.RunId, 0, bearer("cf_wrong"))
	var refusal *EventStreamError
	if !errors.As(err, &refusal) || refusal.StatusCode != 401 || refusal.Body.Error.Code != ErrorBodyErrorCodeUnauthorized {
		t.Fatalf("a wrong token: %v", err)
	}
}

// readAll reads a stream to its end and closes it.
func readAll(t *testing.T, stream *EventStream) []*Event {
	t.Helper()
	defer stream.Close()
	var events []*Event
	for {
		event, err := stream.Next()
		if err == io.EOF {
			return events
		}
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, event)
	}
}

func TestVerifyWebhook(t *testing.T) {
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef01234567"))
	body := []byte(`{"type":"run.completed","data":{"run_id":"run_x"}}`)
	now := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte("0123456789abcdef01234567"))
	mac.Write([]byte("msg_1." + now + "." + string(body)))
	headers := http.Header{}
	headers.Set("webhook-id", "msg_1")
	headers.Set("webhook-timestamp", now)
	headers.Set("webhook-signature", "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	if err := VerifyWebhook(secret, headers, body, 0); err != nil {
		t.Fatalf("a good signature: %v", err)
	}
	if err := VerifyWebhook(secret, headers, []byte(`{"tampered":true}`), 0); err == nil {
		t.Fatal("a changed body verified")
	}
	headers.Set("webhook-timestamp", strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10))
	if err := VerifyWebhook(secret, headers, body, 0); err == nil {
		t.Fatal("an old timestamp verified")
	}
}

func TestSessionKeepsTheHistoryForksAndEnds(t *testing.T) {
	client := newClient(t)
	auth := bearer(appToken(t, client))
	ctx := context.Background()
	system := "Be brief."
	created, err := client.CreateSessionWithResponse(ctx, CreateSessionJSONRequestBody{System: &system}, auth)
	if err != nil || created.JSON201 == nil {
		t.Fatalf("creating a session: %v %s", err, created.Body)
	}
	id := created.JSON201.SessionId
	history := func(sessionID, prompt string) []interface{} {
		t.Helper()
		turn, err := client.SendTurnWithResponse(ctx, sessionID, SendTurnJSONRequestBody{Prompt: prompt}, auth)
		if err != nil || turn.JSON200 == nil {
			t.Fatalf("a turn: %v %s", err, turn.Body)
		}
		if turn.JSON200.SessionId == nil || *turn.JSON200.SessionId != sessionID {
			t.Fatalf("the answer names another session: %+v", turn.JSON200)
		}
		return turn.JSON200.Result.(map[string]interface{})["history"].([]interface{})
	}
	if got := history(id, "first"); len(got) != 0 {
		t.Fatalf("a first turn with history %v", got)
	}
	if got := history(id, "second"); len(got) != 1 || got[0] != "first" {
		t.Fatalf("the second turn's history: %v", got)
	}
	forked, err := client.ForkSessionWithResponse(ctx, id, ForkSessionJSONRequestBody{}, auth)
	if err != nil || forked.JSON201 == nil {
		t.Fatalf("forking: %v %s", err, forked.Body)
	}
	if got := history(forked.JSON201.SessionId, "in the fork"); len(got) != 2 {
		t.Fatalf("the fork's history: %v", got)
	}
	info, err := client.GetSessionWithResponse(ctx, id, auth)
	if err != nil || info.JSON200 == nil || info.JSON200.Turns != 2 {
		t.Fatalf("the session: %v %s", err, info.Body)
	}
	for _, session := range []string{id, forked.JSON201.SessionId} {
		if deleted, err := client.DeleteSessionWithResponse(ctx, session, auth); err != nil || deleted.JSON200 == nil {
			t.Fatalf("deleting: %v %s", err, deleted.Body)
		}
	}
	gone, err := client.SendTurnWithResponse(ctx, id, SendTurnJSONRequestBody{Prompt: "hello?"}, auth)
	if err != nil || gone.JSON404 == nil || gone.JSON404.Error.Code != ErrorBodyErrorCodeSessionNotFound {
		t.Fatalf("a turn on a deleted session: %v %d %s", err, gone.StatusCode(), gone.Body)
	}
}
