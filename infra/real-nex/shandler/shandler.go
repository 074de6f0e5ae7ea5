// Package shandler stands in for disorder.dev/shandler, which the Go module proxy refuses
// (403 "This module version is not available"). nex uses it only to build its slog handler,
// so this offers the same options over the standard library's text and JSON handlers:
// records below warn go to the stdout writers, warn and above to the stderr writers.
package shandler

import (
	"context"
	"io"
	"log/slog"
)

// LevelTrace is below debug, as in the original package.
const LevelTrace = slog.Level(-8)

type options struct {
	timeFormat string
	json       bool
	level      slog.Leveler
	stdout     []io.Writer
	stderr     []io.Writer
}

// HandlerOption configures NewHandler.
type HandlerOption func(*options)

// WithTimeFormat sets the layout of the time attribute.
func WithTimeFormat(layout string) HandlerOption { return func(o *options) { o.timeFormat = layout } }

// WithJSON writes JSON lines instead of text.
func WithJSON() HandlerOption { return func(o *options) { o.json = true } }

// WithColor is accepted for compatibility; output stays plain.
func WithColor() HandlerOption { return func(*options) {} }

// WithShortLevels is accepted for compatibility; levels keep slog's names.
func WithShortLevels() HandlerOption { return func(*options) {} }

// WithLogLevel sets the minimum level.
func WithLogLevel(l slog.Level) HandlerOption { return func(o *options) { o.level = l } }

// WithStdOut sets the writers of records below warn.
func WithStdOut(w ...io.Writer) HandlerOption { return func(o *options) { o.stdout = w } }

// WithStdErr sets the writers of records at warn and above.
func WithStdErr(w ...io.Writer) HandlerOption { return func(o *options) { o.stderr = w } }

type split struct{ low, high slog.Handler }

func (s split) Enabled(ctx context.Context, l slog.Level) bool { return s.low.Enabled(ctx, l) }

func (s split) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		return s.high.Handle(ctx, r)
	}
	return s.low.Handle(ctx, r)
}

func (s split) WithAttrs(a []slog.Attr) slog.Handler {
	return split{s.low.WithAttrs(a), s.high.WithAttrs(a)}
}

func (s split) WithGroup(n string) slog.Handler { return split{s.low.WithGroup(n), s.high.WithGroup(n)} }

// NewHandler builds a slog.Handler from the options.
func NewHandler(opts ...HandlerOption) slog.Handler {
	o := &options{timeFormat: "2006-01-02 15:04:05", level: slog.LevelInfo}
	for _, opt := range opts {
		opt(o)
	}
	ho := &slog.HandlerOptions{Level: o.level, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime {
			return slog.String(slog.TimeKey, a.Value.Time().Format(o.timeFormat))
		}
		return a
	}}
	build := func(ws []io.Writer) slog.Handler {
		w := io.MultiWriter(ws...)
		if o.json {
			return slog.NewJSONHandler(w, ho)
		}
		return slog.NewTextHandler(w, ho)
	}
	return split{low: build(o.stdout), high: build(o.stderr)}
}
