package analysis

import (
	"regexp"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// snippet is a whole block offered by completion. Bodies use LSP snippet
// syntax with tabs for indentation (clients adjust them to the editor's).
type snippet struct {
	label  string
	detail string
	filter string
	body   string
}

// snippetEscape escapes text for use inside a snippet placeholder.
func snippetEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `$`, `\$`, `}`, `\}`, `|`, `\|`, `,`, `\,`)
	return r.Replace(s)
}

// firstDefined returns the first defined name of a kind, or a default.
func firstDefined(ix *Index, kind, def string) string {
	if ix != nil {
		for _, o := range ix.Occs {
			if o.Def && o.Kind == kind {
				return o.Name
			}
		}
	}
	return def
}

// checkerBodies are the lines inside each health checker of the
// real_server snippets ($3 onwards are free).
var checkerBodies = []struct{ name, body string }{
	{"TCP_CHECK", "\t\tconnect_timeout ${3:3}\n"},
	{"HTTP_GET", "\t\turl {\n\t\t\tpath ${3:/}\n\t\t\tstatus_code ${4:200}\n\t\t}\n\t\tconnect_timeout ${5:3}\n"},
	{"SSL_GET", "\t\turl {\n\t\t\tpath ${3:/}\n\t\t\tstatus_code ${4:200}\n\t\t}\n\t\tconnect_timeout ${5:3}\n"},
	{"MISC_CHECK", "\t\tmisc_path \"${3:/usr/local/bin/check.sh}\"\n\t\tmisc_timeout ${4:5}\n"},
	{"SMTP_CHECK", "\t\thelo_name ${3:localhost}\n\t\tconnect_timeout ${4:5}\n"},
	{"DNS_CHECK", "\t\ttype ${3|A,AAAA,NS,MX,TXT,CNAME,SOA|}\n\t\tname ${4:example.com}\n"},
	{"UDP_CHECK", "\t\tconnect_timeout ${3:3}\n"},
	{"PING_CHECK", "\t\tconnect_timeout ${3:3}\n"},
	{"FILE_CHECK", "\t\ttrack_file ${3:@track_file}\n"},
	{"BFD_CHECK", "\t\tname ${3:@bfd_instance}\n"},
}

var lbAlgos = "rr,wrr,lc,wlc,lblc,sh,mh,dh,fo,ovf,lblcr,sed,nq,twos"

// snippetsFor returns the block snippets offered inside a block.
func snippetsFor(parent *schema.Keyword, ix *Index) []snippet {
	name := func(kind, def string) string { return snippetEscape(firstDefined(ix, kind, def)) }
	var out []snippet
	switch {
	case parent.IsTop():
		out = append(out,
			snippet{label: "global_defs", detail: "global_defs block", body: "global_defs {\n" +
				"\trouter_id ${1:lb1}\n" +
				"\tenable_script_security\n" +
				"\tscript_user ${2:root}\n" +
				"}\n"},
			snippet{label: "vrrp_script", detail: "vrrp_script block", body: "vrrp_script ${1:chk_service} {\n" +
				"\tscript \"${2:/usr/bin/pgrep nginx}\"\n" +
				"\tinterval ${3:2}\n" +
				"\tweight ${4:-20}\n" +
				"\tfall ${5:2}\n" +
				"\trise ${6:2}\n" +
				"}\n"},
			snippet{label: "vrrp_instance", detail: "vrrp_instance block", body: "vrrp_instance ${1:VI_1} {\n" +
				"\tstate ${2|BACKUP,MASTER|}\n" +
				"\tinterface ${3:eth0}\n" +
				"\tvirtual_router_id ${4:51}\n" +
				"\tpriority ${5:100}\n" +
				"\tadvert_int ${6:1}\n" +
				"\tvirtual_ipaddress {\n" +
				"\t\t${7:192.0.2.10/24}\n" +
				"\t}\n" +
				"}\n"},
			snippet{label: "vrrp_sync_group", detail: "vrrp_sync_group block", body: "vrrp_sync_group ${1:VG_1} {\n" +
				"\tgroup {\n" +
				"\t\t${2:" + name("vrrp_instance", "VI_1") + "}\n" +
				"\t}\n" +
				"}\n"},
			snippet{label: "virtual_server", detail: "virtual_server block with a real_server", body: "virtual_server ${1:192.0.2.10} ${2:80} {\n" +
				"\tdelay_loop ${3:6}\n" +
				"\tlb_algo ${4|" + lbAlgos + "|}\n" +
				"\tlb_kind ${5|NAT,DR,TUN|}\n" +
				"\tprotocol ${6|TCP,UDP,SCTP|}\n" +
				"\n" +
				"\treal_server ${7:192.0.2.11} ${8:80} {\n" +
				"\t\tweight ${9:1}\n" +
				"\t\tTCP_CHECK {\n" +
				"\t\t\tconnect_timeout ${10:3}\n" +
				"\t\t}\n" +
				"\t}\n" +
				"}\n"},
		)
	case parent.Name == "virtual_server" && parent.Parent == nil:
		for _, ck := range checkerBodies {
			body := ck.body
			body = strings.ReplaceAll(body, "@track_file", name("track_file", "file_name"))
			body = strings.ReplaceAll(body, "@bfd_instance", name("bfd_instance", "bfd_name"))
			out = append(out, snippet{label: "real_server " + ck.name, filter: "real_server " + ck.name,
				detail: "real_server block with " + ck.name,
				body: "real_server ${1:192.0.2.11} ${2:80} {\n" +
					"\tweight 1\n" +
					"\t" + ck.name + " {\n" +
					body +
					"\t}\n" +
					"}\n"})
		}
	}
	return out
}

// snippetDoc shows a snippet's text with its placeholders filled in.
func snippetDoc(s snippet, md bool) string {
	w := &writer{md: md}
	w.block(strings.TrimRight(ExpandSnippet(s.body), "\n"))
	return w.String()
}

var placeholderRE = regexp.MustCompile(`\$\{\d+:((?:[^}\\]|\\.)*)\}|\$\{\d+\|([^,|]*)[^}]*\|\}|\$\d+`)

// ExpandSnippet returns a snippet's text with every placeholder replaced by
// its default (or first choice), as a client inserts it when the user
// accepts the defaults.
func ExpandSnippet(body string) string {
	out := placeholderRE.ReplaceAllStringFunc(body, func(m string) string {
		sub := placeholderRE.FindStringSubmatch(m)
		switch {
		case strings.HasPrefix(m, "${") && strings.Contains(m, ":"):
			return sub[1]
		case strings.Contains(m, "|"):
			return sub[2]
		}
		return ""
	})
	return strings.NewReplacer(`\$`, `$`, `\}`, `}`, `\,`, `,`, `\|`, `|`, `\\`, `\`).Replace(out)
}
