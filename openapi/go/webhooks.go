// Hand-written, beside the generated client: checking a webhook from the
// service (Standard Webhooks 1.0) before trusting it.
package clawdforge

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrWebhookVerification: missing headers, a bad signature, or a timestamp too far from now.
var ErrWebhookVerification = errors.New("clawdforge: webhook verification failed")

// VerifyWebhook checks a delivery's signature (with the whsec_ secret shown when
// the webhook was set) over the raw body, in constant time, and that its
// timestamp is within tolerance of now (5 minutes when tolerance is 0).
func VerifyWebhook(secret string, headers http.Header, rawBody []byte, tolerance time.Duration) error {
	id, timestamp, signatures := headers.Get("webhook-id"), headers.Get("webhook-timestamp"), headers.Get("webhook-signature")
	if id == "" || timestamp == "" || signatures == "" {
		return ErrWebhookVerification
	}
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrWebhookVerification
	}
	if tolerance == 0 {
		tolerance = 5 * time.Minute
	}
	if age := time.Since(time.Unix(seconds, 0)); age > tolerance || age < -tolerance {
		return ErrWebhookVerification
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return ErrWebhookVerification
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "." + string(rawBody)))
	expected := mac.Sum(nil)
	for _, entry := range strings.Split(signatures, " ") {
		version, value, _ := strings.Cut(entry, ",")
		given, err := base64.StdEncoding.DecodeString(value)
		if version == "v1" && err == nil && hmac.Equal(given, expected) {
			return nil
		}
	}
	return ErrWebhookVerification
}
