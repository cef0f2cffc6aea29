// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the ptj test guest on architectures without a busybox in Debian 12 (arm64 and
 * sparc64 are cross-built; sparc64 is a Debian port, and one init for both keeps them alike).
 * It is the C counterpart of tools/guest/init.sh plus the guest steps it supports:
 *
 *   kselftest  every test of /ptj/kselftest/kselftest-list.txt, printed as the kernel's
 *              run_kselftest.sh prints it ("# selftests: C: T", the test's output with "# " in
 *              front, "ok|not ok N selftests: C: T [# SKIP|# TIMEOUT n seconds|# exit=n]"),
 *              each with the timeout of its collection's settings file (default 45 s),
 *              without those listed in ptj.ksft_skip=C:T,... (as tools/guest/steps/kselftest.sh);
 *   stress     /ptj/kselftest/ptrace/jobctl_stress -t ptj.stress_secs [-s ptj.stress_seed]
 *              [ptj.stress_args, comma separated], its KTAP straight to the console;
 *   none       nothing;
 *   NAME       any other step: /ptj/bin/NAME (a GUEST_BINS binary), its output to the console.
 *
 * It prints the same PTJ: markers as tools/guest/init.sh, so the verdict judges both alike,
 * and reaps every orphan while it waits (it is PID 1). Built static by
 * tools/runner/mkinitramfs.sh with the architecture's cross compiler. The same binary is also /bin/true and /bin/sleep, the two
 * commands the upstream ptrace kselftests execute (vmaccess).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KSFT_DIR "/ptj/kselftest"
#define DEFAULT_TIMEOUT 45
#define MAX_ARGS 64

static char cmdline[4096];

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Value of "key=" on the kernel command line, or NULL. */
static const char *param(const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *end = p + strcspn(p, " \n");

		if ((size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vlen = end - p - klen - 1;

			if (vlen >= len)
				vlen = len - 1;
			memcpy(buf, p + klen + 1, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		p = end + strspn(end, " \n");
	}
	return NULL;
}

static void read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	buf[strcspn(buf, "\n")] = '\0';
}

static void setup(void)
{
	mkdir("/proc", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mkdir("/dev/pts", 0755);
	mkdir("/dev/shm", 01777);
	mount("devpts", "/dev/pts", "devpts", 0, "gid=5,mode=620,ptmxmode=666");
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	mount("tmpfs", "/run", "tmpfs", 0, NULL);
	mount("tmpfs", "/dev/shm", "tmpfs", 0, NULL);
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");
	sethostname("ptj-guest", 9);
	setenv("PATH", "/ptj/bin:/bin:/sbin:/usr/bin:/usr/sbin", 1);
	setenv("HOME", "/root", 1);
	setenv("TERM", "dumb", 1);
}

/*
 * Wait for @pid, reaping every other child on the way (orphans are ours as PID 1). With
 * @deadline > 0, SIGKILL the process group of @pid when it passes; *@timed_out then says so.
 * Output of @fd (if >= 0) is copied to the console, each line prefixed with @prefix.
 */
static int run_child(pid_t pid, int fd, const char *prefix, double deadline, int *timed_out)
{
	char buf[4096], line[8192];
	size_t llen = 0;
	int status = 0, done = 0, eof = fd < 0;
	double drain_until = 0;

	*timed_out = 0;
	while (!done || !eof) {
		pid_t w;
		int st;

		while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
			if (w == pid) {
				status = st;
				done = 1;
				/* Output after the exit (a leftover child): one more second, no more. */
				drain_until = now() + 1;
			}
		}
		if (deadline > 0 && !done && now() > deadline && !*timed_out) {
			*timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		if (done && !eof && now() > drain_until) {
			kill(-pid, SIGKILL);
			break;
		}
		if (!eof) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			if (poll(&pfd, 1, 100) > 0) {
				ssize_t n = read(fd, buf, sizeof(buf));

				if (n <= 0) {
					eof = 1;
					continue;
				}
				for (ssize_t i = 0; i < n; i++) {
					if (buf[i] == '\n' || llen == sizeof(line) - 1) {
						line[llen] = '\0';
						say("%s%s\n", prefix, line);
						llen = 0;
						if (buf[i] == '\n')
							continue;
					}
					line[llen++] = buf[i];
				}
			}
		} else if (!done) {
			usleep(50000);
		}
	}
	if (llen) {
		line[llen] = '\0';
		say("%s%s\n", prefix, line);
	}
	if (fd >= 0)
		close(fd);
	/* Whatever the test left behind in its process group does not outlive it. */
	kill(-pid, SIGKILL);
	return status;
}

static int collection_timeout(const char *coll)
{
	char path[512], buf[256];
	const char *t;

	snprintf(path, sizeof(path), KSFT_DIR "/%.200s/settings", coll);
	read_file(path, buf, sizeof(buf));
	t = strstr(buf, "timeout=");
	return t ? atoi(t + 8) : DEFAULT_TIMEOUT;
}

static int step_kselftest(void)
{
	char tests[128][256];
	int ntests = 0, i;
	FILE *list = fopen(KSFT_DIR "/kselftest-list.txt", "r");

	if (!list) {
		say("PTJ: no " KSFT_DIR "/kselftest-list.txt\n");
		return 1;
	}
	char skip[512] = "", item[260];

	if (param("ptj.ksft_skip", skip + 1, sizeof(skip) - 2)) {
		skip[0] = ',';
		strcat(skip, ",");
	}
	while (ntests < 128 && fgets(tests[ntests], sizeof(tests[0]), list)) {
		tests[ntests][strcspn(tests[ntests], "\n")] = '\0';
		if (!strchr(tests[ntests], ':'))
			continue;
		snprintf(item, sizeof(item), ",%.250s,", tests[ntests]);
		if (strstr(skip, item)) {
			say("PTJ: kselftest %s left out (ptj.ksft_skip)\n", tests[ntests]);
			continue;
		}
		ntests++;
	}
	fclose(list);

	say("TAP version 13\n1..%d\n", ntests);
	for (i = 0; i < ntests; i++) {
		char *coll = tests[i], *test = strchr(coll, ':'), dir[512];
		int p[2], tmo, timed_out, st;
		pid_t pid;

		*test++ = '\0';
		tmo = collection_timeout(coll);
		snprintf(dir, sizeof(dir), KSFT_DIR "/%.200s", coll);
		say("# selftests: %s: %s\n", coll, test);
		if (pipe2(p, O_CLOEXEC)) {
			say("not ok %d selftests: %s: %s # pipe: %s\n", i + 1, coll, test, strerror(errno));
			continue;
		}
		pid = fork();
		if (pid == 0) {
			char *argv[] = { test, NULL }, path[600];

			setpgid(0, 0);
			dup2(p[1], 1);
			dup2(p[1], 2);
			if (chdir(dir))
				_exit(127);
			snprintf(path, sizeof(path), "./%.200s", test);
			execv(path, argv);
			dprintf(2, "exec %s/%s: %s\n", dir, test, strerror(errno));
			_exit(127);
		}
		close(p[1]);
		if (pid < 0) {
			close(p[0]);
			say("not ok %d selftests: %s: %s # fork: %s\n", i + 1, coll, test, strerror(errno));
			continue;
		}
		setpgid(pid, pid);
		st = run_child(pid, p[0], "# ", now() + tmo, &timed_out);
		if (timed_out)
			say("not ok %d selftests: %s: %s # TIMEOUT %d seconds\n", i + 1, coll, test, tmo);
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			say("ok %d selftests: %s: %s\n", i + 1, coll, test);
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 4)
			say("ok %d selftests: %s: %s # SKIP\n", i + 1, coll, test);
		else if (WIFEXITED(st))
			say("not ok %d selftests: %s: %s # exit=%d\n", i + 1, coll, test, WEXITSTATUS(st));
		else
			say("not ok %d selftests: %s: %s # killed by signal %d\n", i + 1, coll, test,
			    WTERMSIG(st));
	}
	return 0;
}

static int step_stress(void)
{
	static char secs[32] = "60", seed[32], extra[512];
	char *argv[MAX_ARGS], *tok, *save;
	int argc = 0, timed_out, st;
	pid_t pid;

	param("ptj.stress_secs", secs, sizeof(secs));
	argv[argc++] = "jobctl_stress";
	argv[argc++] = "-t";
	argv[argc++] = secs;
	if (param("ptj.stress_seed", seed, sizeof(seed))) {
		argv[argc++] = "-s";
		argv[argc++] = seed;
	}
	if (param("ptj.stress_args", extra, sizeof(extra)))
		for (tok = strtok_r(extra, ",", &save); tok && argc < MAX_ARGS - 1;
		     tok = strtok_r(NULL, ",", &save))
			argv[argc++] = tok;
	argv[argc] = NULL;
	pid = fork();
	if (pid == 0) {
		execv(KSFT_DIR "/ptrace/jobctl_stress", argv);
		say("not ok 1 jobctl_stress # exec: %s\n", strerror(errno));
		_exit(1);
	}
	if (pid < 0)
		return 1;
	st = run_child(pid, -1, "", 0, &timed_out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int step_bin(const char *name)
{
	char path[300];
	int timed_out, st;
	pid_t pid;

	snprintf(path, sizeof(path), "/ptj/bin/%.200s", name);
	if (access(path, X_OK)) {
		say("PTJ: no step %s: not kselftest or stress, and no %s\n", name, path);
		return 127;
	}
	pid = fork();
	if (pid == 0) {
		execl(path, name, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		return 1;
	st = run_child(pid, -1, "", 0, &timed_out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	char steps[256] = "kselftest", buf[256], *s, *save;
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	struct utsname u;

	if (!strcmp(name, "true"))
		return 0;
	if (!strcmp(name, "sleep"))
		return argc > 1 ? sleep(atoi(argv[1])) != 0 : 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	uname(&u);
	say("PTJ: guest init start\n");
	say("PTJ: kernel %s %s (%s)\n", u.release, u.version, u.machine);
	read_file("/sys/devices/system/cpu/online", buf, sizeof(buf));
	say("PTJ: cpus online: %ld (%s)\n", sysconf(_SC_NPROCESSORS_ONLN), buf);
	param("ptj.steps", steps, sizeof(steps));
	say("PTJ: steps: %s\n", steps);

	for (s = strtok_r(steps, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		int rc;

		if (!strcmp(s, "none"))
			continue;
		say("PTJ: step %s begin\n", s);
		if (chdir("/tmp"))
			say("PTJ: chdir /tmp: %s\n", strerror(errno));
		if (!strcmp(s, "kselftest")) {
			rc = step_kselftest();
		} else if (!strcmp(s, "stress")) {
			rc = step_stress();
		} else {
			rc = step_bin(s);
		}
		say("PTJ: step %s end rc=%d\n", s, rc);
	}
	sync();
	say("PTJ: guest done\n");
	reboot(RB_POWER_OFF);
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}
