// Package lspbench measures the language server the way an editor uses it:
// open a large file, then type one character at a time and wait for the
// diagnostics of each version.
package lspbench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client speaks LSP over a byte stream with Content-Length framing.
type Client struct {
	w      io.Writer
	mu     sync.Mutex
	nextID int
	diags  chan published
	resps  map[int]chan json.RawMessage
}

type published struct {
	URI     string `json:"uri"`
	Version *int   `json:"version"`
	Count   int
	At      time.Time
}

// NewClient starts reading the server's messages from r.
func NewClient(r io.Reader, w io.Writer) *Client {
	c := &Client{w: w, diags: make(chan published, 1024), resps: map[int]chan json.RawMessage{}}
	go c.read(bufio.NewReaderSize(r, 1<<20))
	return c
}

func (c *Client) read(r *bufio.Reader) {
	for {
		n := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(c.diags)
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length:"); ok {
				n, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			close(c.diags)
			return
		}
		var msg struct {
			ID     *json.RawMessage `json:"id"`
			Method string           `json:"method"`
			Params json.RawMessage  `json:"params"`
			Result json.RawMessage  `json:"result"`
		}
		if json.Unmarshal(body, &msg) != nil {
			continue
		}
		now := time.Now()
		switch {
		case msg.Method == "textDocument/publishDiagnostics":
			var p struct {
				URI         string            `json:"uri"`
				Version     *int              `json:"version"`
				Diagnostics []json.RawMessage `json:"diagnostics"`
			}
			json.Unmarshal(msg.Params, &p)
			c.diags <- published{URI: p.URI, Version: p.Version, Count: len(p.Diagnostics), At: now}
		case msg.Method != "" && msg.ID != nil: // a request from the server
			c.send(map[string]any{"jsonrpc": "2.0", "id": msg.ID, "result": nil})
		case msg.ID != nil:
			var id int
			json.Unmarshal(*msg.ID, &id)
			c.mu.Lock()
			ch := c.resps[id]
			delete(c.resps, id)
			c.mu.Unlock()
			if ch != nil {
				ch <- msg.Result
			}
		}
	}
}

func (c *Client) send(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err = fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(b), b)
	return err
}

// Call sends a request and waits for its result.
func (c *Client) Call(method string, params any) (json.RawMessage, error) {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan json.RawMessage, 1)
	c.resps[id] = ch
	c.mu.Unlock()
	if err := c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params}); err != nil {
		return nil, err
	}
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(60 * time.Second):
		return nil, fmt.Errorf("%s: no answer", method)
	}
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) error {
	return c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// WaitDiagnostics waits for the diagnostics of uri at version.
func (c *Client) WaitDiagnostics(uri string, version int) (published, error) {
	timeout := time.After(60 * time.Second)
	for {
		select {
		case p, ok := <-c.diags:
			if !ok {
				return p, fmt.Errorf("connection closed")
			}
			if p.URI == uri && p.Version != nil && *p.Version == version {
				return p, nil
			}
		case <-timeout:
			return published{}, fmt.Errorf("no diagnostics for %s version %d", uri, version)
		}
	}
}

// Result is one measurement series.
type Result struct {
	Lines         int
	Open          time.Duration // didOpen to first diagnostics
	P50, P95, Max time.Duration // didChange to diagnostics of that version
	Diagnostics   int
	Hover         Latency // textDocument/hover at words across the file
	Completion    Latency // textDocument/completion at line ends across the file
	Definition    Latency // textDocument/definition on track_script references
	Formatting    Latency // textDocument/formatting of the whole file
}

// Latency summarises the answer times of one kind of request.
type Latency struct{ P50, P95, Max time.Duration }

func summarise(lat []time.Duration) Latency {
	if len(lat) == 0 {
		return Latency{}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return Latency{lat[len(lat)/2], lat[len(lat)*95/100], lat[len(lat)-1]}
}

// Run opens text as uri, then makes n one-character edits in the middle of
// the file, each waited for, then sends n hover and n completion requests
// spread over the file. The server must run with debounce 0.
func Run(c *Client, uri string, text string, n int) (Result, error) {
	res := Result{Lines: strings.Count(text, "\n") + 1}
	if _, err := c.Call("initialize", map[string]any{
		"capabilities":          map[string]any{"textDocument": map[string]any{"publishDiagnostics": map[string]any{"versionSupport": true}}},
		"initializationOptions": map[string]any{"keepalived": map[string]any{"debounce": 0}},
	}); err != nil {
		return res, err
	}
	c.Notify("initialized", map[string]any{})
	start := time.Now()
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "keepalived", "version": 1, "text": text}})
	p, err := c.WaitDiagnostics(uri, 1)
	if err != nil {
		return res, err
	}
	res.Open = p.At.Sub(start)
	res.Diagnostics = p.Count
	// Type into a "weight N" line near the middle: a value that stays valid.
	lines := strings.Split(text, "\n")
	target := len(lines) / 2
	for target < len(lines) && !strings.Contains(lines[target], "weight ") {
		target++
	}
	if target == len(lines) {
		return res, fmt.Errorf("no weight line in the second half of the text")
	}
	col := len(lines[target])
	var lat []time.Duration
	for i := 0; i < n; i++ {
		v := i + 2
		ch := "1"
		rng := map[string]any{"start": pos(target, col), "end": pos(target, col)}
		if i%2 == 1 { // delete what the previous edit typed
			rng["end"] = pos(target, col+1)
			ch = ""
		}
		t0 := time.Now()
		c.Notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": v},
			"contentChanges": []any{map[string]any{"range": rng, "text": ch}},
		})
		p, err := c.WaitDiagnostics(uri, v)
		if err != nil {
			return res, err
		}
		lat = append(lat, p.At.Sub(t0))
	}
	k := summarise(lat)
	res.P50, res.P95, res.Max = k.P50, k.P95, k.Max
	if res.Hover, err = requests(c, uri, lines, n, "textDocument/hover", func(l string) int {
		return len(l) - len(strings.TrimLeft(l, " \t")) + 1 // inside the first word
	}); err != nil {
		return res, err
	}
	if res.Completion, err = requests(c, uri, lines, n, "textDocument/completion", func(l string) int {
		return len(l)
	}); err != nil {
		return res, err
	}
	if res.Definition, err = definitions(c, uri, lines, n); err != nil {
		return res, err
	}
	if res.Formatting, err = formatting(c, uri, 5); err != nil {
		return res, err
	}
	c.Call("shutdown", nil)
	c.Notify("exit", nil)
	return res, nil
}

// requests sends n requests of method at lines spread evenly over the file
// (moved down to the next line with a keyword), at the column col picks, and times the answers.
func requests(c *Client, uri string, lines []string, n int, method string, col func(string) int) (Latency, error) {
	var lat []time.Duration
	for i := 0; i < n; i++ {
		ln := i * len(lines) / n
		for ln < len(lines)-1 && !hasKeyword(lines[ln]) {
			ln++
		}
		t0 := time.Now()
		r, err := c.Call(method, map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos(ln, col(lines[ln]))})
		if err != nil {
			return Latency{}, err
		}
		lat = append(lat, time.Since(t0))
		if method == "textDocument/hover" && string(r) == "null" {
			return Latency{}, fmt.Errorf("hover at line %d (%q) returned nothing", ln, lines[ln])
		}
	}
	return summarise(lat), nil
}

// definitions asks for the definition of n track_script references
// spread over the file (lines naming a chk_ script) and times the answers.
func definitions(c *Client, uri string, lines []string, n int) (Latency, error) {
	var refs []int
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "chk_") {
			refs = append(refs, i)
		}
	}
	if len(refs) == 0 {
		return Latency{}, fmt.Errorf("no track_script reference to ask the definition of")
	}
	var lat []time.Duration
	for i := 0; i < n; i++ {
		ln := refs[i*len(refs)/n]
		col := len(lines[ln]) - len(strings.TrimLeft(lines[ln], " \t")) + 1
		t0 := time.Now()
		r, err := c.Call("textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos(ln, col)})
		if err != nil {
			return Latency{}, err
		}
		lat = append(lat, time.Since(t0))
		if string(r) == "null" || string(r) == "[]" {
			return Latency{}, fmt.Errorf("definition at line %d (%q) found nothing", ln, lines[ln])
		}
	}
	return summarise(lat), nil
}

// formatting formats the whole document n times and times the answers.
func formatting(c *Client, uri string, n int) (Latency, error) {
	var lat []time.Duration
	for range n {
		t0 := time.Now()
		if _, err := c.Call("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": uri},
			"options": map[string]any{"tabSize": 8, "insertSpaces": false}}); err != nil {
			return Latency{}, err
		}
		lat = append(lat, time.Since(t0))
	}
	return summarise(lat), nil
}

// hasKeyword reports a line starting with a keyword, where hover has
// something to say.
func hasKeyword(l string) bool {
	l = strings.TrimSpace(l)
	return l != "" && l[0] != '#' && l[0] != '!' && l[0] != '}' && l[0] != '{'
}

func pos(line, char int) map[string]any { return map[string]any{"line": line, "character": char} }
