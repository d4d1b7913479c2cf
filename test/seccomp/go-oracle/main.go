// The oracle for test/seccomp/go-decoding.test.ts: decodes seccomp profiles with Go's
// encoding/json into a struct that mirrors the Docker 20.10 daemon's profiles/seccomp struct
// (field names and json tags as the daemon has them; standard library only, so it builds
// offline). Reads a JSON array of profile texts on stdin and writes, for each, either
// {"ok":false} (json.Unmarshal returned an error: the daemon refuses the profile) or
// {"ok":true,"value":...}, the decoded struct with every field shown (unsigned integers as
// decimal strings, nil lists and pointers as null).
package main

import (
	"encoding/json"
	"os"
	"strconv"
)

type Architecture struct {
	Arch      string   `json:"architecture"`
	SubArches []string `json:"subArchitectures"`
}

type Filter struct {
	Caps      []string `json:"caps,omitempty"`
	Arches    []string `json:"arches,omitempty"`
	MinKernel string   `json:"minKernel,omitempty"`
}

type Arg struct {
	Index    uint   `json:"index"`
	Value    uint64 `json:"value"`
	ValueTwo uint64 `json:"valueTwo,omitempty"`
	Op       string `json:"op"`
}

type Syscall struct {
	Name     string   `json:"name,omitempty"`
	Names    []string `json:"names,omitempty"`
	Action   string   `json:"action"`
	ErrnoRet *uint    `json:"errnoRet,omitempty"`
	Args     []*Arg   `json:"args"`
	Comment  string   `json:"comment"`
	Includes Filter   `json:"includes"`
	Excludes Filter   `json:"excludes"`
}

type Seccomp struct {
	DefaultAction   string         `json:"defaultAction"`
	DefaultErrnoRet *uint          `json:"defaultErrnoRet,omitempty"`
	Architectures   []string       `json:"architectures,omitempty"`
	ArchMap         []Architecture `json:"archMap,omitempty"`
	Syscalls        []*Syscall     `json:"syscalls"`
}

func strs(list []string) any {
	if list == nil {
		return nil
	}
	return list
}

func uintPtr(p *uint) any {
	if p == nil {
		return nil
	}
	return strconv.FormatUint(uint64(*p), 10)
}

func filter(f Filter) map[string]any {
	return map[string]any{"caps": strs(f.Caps), "arches": strs(f.Arches), "minKernel": f.MinKernel}
}

func show(s Seccomp) map[string]any {
	var archMap any
	if s.ArchMap != nil {
		list := []any{}
		for _, a := range s.ArchMap {
			list = append(list, map[string]any{"architecture": a.Arch, "subArchitectures": strs(a.SubArches)})
		}
		archMap = list
	}
	var syscalls any
	if s.Syscalls != nil {
		list := []any{}
		for _, c := range s.Syscalls {
			if c == nil {
				list = append(list, nil)
				continue
			}
			var args any
			if c.Args != nil {
				argList := []any{}
				for _, a := range c.Args {
					if a == nil {
						argList = append(argList, nil)
						continue
					}
					argList = append(argList, map[string]any{
						"index":    strconv.FormatUint(uint64(a.Index), 10),
						"value":    strconv.FormatUint(a.Value, 10),
						"valueTwo": strconv.FormatUint(a.ValueTwo, 10),
						"op":       a.Op,
					})
				}
				args = argList
			}
			list = append(list, map[string]any{
				"name": c.Name, "names": strs(c.Names), "action": c.Action,
				"errnoRet": uintPtr(c.ErrnoRet), "args": args, "comment": c.Comment,
				"includes": filter(c.Includes), "excludes": filter(c.Excludes),
			})
		}
		syscalls = list
	}
	return map[string]any{
		"defaultAction": s.DefaultAction, "defaultErrnoRet": uintPtr(s.DefaultErrnoRet),
		"architectures": strs(s.Architectures), "archMap": archMap, "syscalls": syscalls,
	}
}

func main() {
	var texts []string
	if err := json.NewDecoder(os.Stdin).Decode(&texts); err != nil {
		os.Stderr.WriteString("go-oracle: stdin must be a JSON array of strings: " + err.Error() + "\n")
		os.Exit(2)
	}
	out := []any{}
	for _, text := range texts {
		var profile Seccomp
		if err := json.Unmarshal([]byte(text), &profile); err != nil {
			out = append(out, map[string]any{"ok": false})
			continue
		}
		out = append(out, map[string]any{"ok": true, "value": show(profile)})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(2)
	}
}
