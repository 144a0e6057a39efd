#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# status --json and check --json: valid JSON on stdout with the fields and
# types syncdaxctl(8) documents, nothing else on stdout.

load host-common

setup_file() { build_fake; }

setup() {
	fake_kernel_setup
}

teardown() {
	remove_shm_scratch
}

@test "status --json on the unpatched kernel: flag null, why_not starts with no_kernel" {
	touch "$T/f"
	run --separate-stderr "$SYNCDAXCTL" status --json "$T/f"
	assert_success
	assert_equal "$stderr" ""
	jq -e --arg p "$T/f" '
		type == "array" and length == 1 and
		(.[0] | .path == $p and .type == "file" and .flag == null and
		 .dax == false and .active == false and
		 .why_not[0] == "no_kernel" and
		 (.reason | type == "string" and startswith("the kernel lacks sync-fault support")))
	' <<<"$output"
}

@test "status -J: every element has exactly the documented keys and types" {
	touch "$T/f"
	mkdir "$T/d"
	run --separate-stderr fake_syncdaxctl status -J "$T/f" "$T/d"
	assert_success
	jq -e '
		length == 2 and all(.[];
			(keys == ["active","dax","flag","path","reason","type","why_not"]) and
			(.path | type == "string") and
			(.type == "file" or .type == "directory") and
			(.flag | type == "boolean") and
			(.dax | type == "boolean") and
			(.active | type == "boolean") and
			(.why_not | type == "array" and all(.[]; type == "string")) and
			(.reason == null or (.reason | type == "string")))
	' <<<"$output"
	assert_equal "$(jq -r '.[1].type' <<<"$output")" directory
}

@test "status -J of an active file: active true, why_not empty, reason null" {
	touch "$T/f"
	fake_syncdaxctl enable "$T/f"
	SYNCDAX_FAKE_DAX=1 run --separate-stderr fake_syncdaxctl status -J "$T/f"
	assert_success
	jq -e '.[0] | .flag == true and .dax == true and .active == true and
		.why_not == [] and .reason == null' <<<"$output"
}

@test "status -J of a DAX file without the flag: why_not is [\"flag_clear\"]" {
	touch "$T/f"
	SYNCDAX_FAKE_DAX=1 run --separate-stderr fake_syncdaxctl status -J "$T/f"
	assert_success
	jq -e '.[0] | .flag == false and .dax == true and .active == false and
		.why_not == ["flag_clear"] and .reason == "the sync-fault flag is not set"' <<<"$output"
}

@test "status -J with a missing path: error element with errno, exit 1, message on stderr" {
	touch "$T/f"
	run --separate-stderr "$SYNCDAXCTL" status -J "$T/f" "$T/missing"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: status: $T/missing: No such file or directory"
	jq -e --arg p "$T/missing" '
		length == 2 and (.[1] | keys == ["errno","error","path"] and
			.path == $p and .errno == 2 and
			.error == "No such file or directory")
	' <<<"$output"
}

@test "status -J -v keeps stdout pure JSON (notes go to stderr)" {
	mkdir "$T/d"
	ln -s nowhere "$T/d/dangling"
	run --separate-stderr "$SYNCDAXCTL" status -J -R -v "$T/d"
	assert_success
	jq -e 'length == 1' <<<"$output"
	[[ $stderr == *"$T/d/dangling: skipped: symbolic link"* ]]
}

@test "status -J on a file system that has not opted in: flag null, why_not starts with fs_unsupported" {
	make_shm_scratch
	touch "$SHM_DIR/f"
	run --separate-stderr fake_syncdaxctl status -J "$SHM_DIR/f" "$SHM_DIR"
	assert_success
	assert_equal "$stderr" ""
	run jq -e '
		length == 2 and all(.[]; .flag == null and .active == false and
			.why_not[0] == "fs_unsupported" and
			(.why_not | index("flag_clear") == null) and
			(.reason | startswith("the file system does not support the sync-fault flag")))
	' <<<"$output"
	assert_success
}

@test "check -J on a file system that has not opted in: kernel true, flag null, filesystem fails" {
	make_shm_scratch
	run --separate-stderr fake_syncdaxctl check -J "$SHM_DIR"
	assert_failure 1
	assert_equal "$stderr" ""
	run jq -e '
		.ok == false and .kernel == true and .flag == null and
		(.checks[] | select(.name == "filesystem") | .result == "fail") and
		(.checks[] | select(.name == "flag") |
			.result == "info" and .fix == null and
			(.detail | test("does not support the flag")))
	' <<<"$output"
	assert_success
}

@test "status -J paths keep their slashes unescaped" {
	touch "$T/f"
	run --separate-stderr "$SYNCDAXCTL" status -J "$T/f"
	assert_success
	assert_output --partial "\"path\": \"$T/f\""
}

@test "check --json on the unpatched kernel: ok false, kernel false, exit 1" {
	run --separate-stderr "$SYNCDAXCTL" check --json "$T"
	assert_failure 1
	assert_equal "$stderr" ""
	jq -e --arg p "$T" '
		.path == $p and .ok == false and .kernel == false and .flag == null and
		(.checks[] | select(.name == "kernel") |
			.result == "fail" and (.detail | test("lacks sync-fault support")) and
			(.fix | type == "string"))
	' <<<"$output"
}

@test "check -J has every documented field with its type" {
	run --separate-stderr "$SYNCDAXCTL" check -J "$T"
	assert_failure 1
	jq -e '
		(keys | sort) == (["active","blockdev","checks","cpu_flush","dax","dax_attr",
			"dev_dax","dev_major","dev_minor","dev_sync","dev_sync_why",
			"fast_commit","filesystem","flag","kernel","kernel_sync_fault",
			"mount_dax","mountpoint","namespace","ns_mode","ok","options","path",
			"provider","region","source","sync_fault","verdict",
			"verdict_detail"] | sort) and
		(.ok | type == "boolean") and
		(.verdict | IN("ready","no-kernel-support","fs-unsupported",
			"no-sync-fault-feature","not-dax","not-synchronous","no-flush-insn",
			"unknown")) and
		(.verdict_detail | type == "string") and
		(.dev_sync_why | type == "string") and
		(.kernel | type == "boolean" or . == null) and
		(.mount_dax | IN("always","inode","never","none")) and
		(.ns_mode | IN("fsdax","raw","sector","unknown","none")) and
		(.cpu_flush | IN("clwb","clflushopt","clflush","none")) and
		(.dev_major | type == "number") and (.dev_minor | type == "number") and
		([.filesystem, .source, .mountpoint, .options, .blockdev, .namespace,
		  .region, .provider] | all(. == null or type == "string")) and
		([.dev_dax, .dev_sync, .flag, .dax, .active, .dax_attr, .fast_commit,
		  .sync_fault, .kernel_sync_fault] |
			all(. == null or type == "boolean"))
	' <<<"$output"
}

@test "check -J lists the ten findings in order, each with name, result, detail, fix" {
	run --separate-stderr "$SYNCDAXCTL" check -J "$T"
	assert_failure 1
	assert_equal "$(jq -r '[.checks[].name] | join(" ")' <<<"$output")" \
		"kernel filesystem feature mount device namespace synchronous cpu_flush flag fast_commit"
	jq -e 'all(.checks[];
		keys == ["detail","fix","name","result"] and
		(.result | IN("pass","fail","unknown","info")) and
		(.detail | type == "string" and length > 0) and
		(.fix == null or (.fix | type == "string")))' <<<"$output"
}

@test "check -J: ok is true exactly when the verdict is ready, and then no finding failed" {
	run --separate-stderr "$SYNCDAXCTL" check -J "$T"
	jq -e '.ok == (.verdict == "ready")' <<<"$output"
	jq -e '(.ok | not) or ([.checks[] | select(.result == "fail")] | length == 0)' <<<"$output"
	assert_equal "$status" "$(jq 'if .ok then 0 else 1 end' <<<"$output")"
	run --separate-stderr fake_syncdaxctl check -J "$T"
	assert_equal "$status" "$(jq 'if .ok then 0 else 1 end' <<<"$output")"
	jq -e '.kernel == true and .ok == (.verdict == "ready")' <<<"$output"
}

@test "check -J of a missing path: error object, exit 1" {
	run --separate-stderr "$SYNCDAXCTL" check -J "$T/missing"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: check: $T/missing: No such file or directory"
	jq -e --arg p "$T/missing" '.path == $p and .errno == 2' <<<"$output"
}
