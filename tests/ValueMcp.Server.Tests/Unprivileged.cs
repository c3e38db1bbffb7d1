using System.Diagnostics;
using ModelContextProtocol.Client;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Runs the server as a user who cannot write a folder the tests made read-only. Root ignores file permissions, so as
/// root the server runs as the unprivileged user nobody (uid and gid 65534, through setpriv from util-linux) and a
/// folder root owns with mode 755 is one it cannot write; as any other user the server runs as that user and Lock takes
/// the write permission away (chmod 555). Either way the folder is really unwritable for the server.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Unprivileged : IDisposable
{
    private const string Id = "65534";
    private readonly List<string> _locked = [];
    private readonly string? _serverCopy;

    public Unprivileged(string dir)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("these tests use Unix file permissions");
        Home = Path.Combine(dir, "home");
        Directory.CreateDirectory(Home);
        if (!AsRoot) return;
        File.SetUnixFileMode(Home, (UnixFileMode)0b111_111_111); // nobody's HOME and DOTNET_CLI_HOME
        // nobody must be able to read the built server: when the checkout is not readable by others (a clone under
        // /root, say), the test binaries are copied to a folder that is.
        if (ServerFixture.ServerCommand == "dotnet" && !ReadableByOthers(ServerFixture.ServerDll))
        {
            _serverCopy = Path.Combine(dir, "server");
            Copy(AppContext.BaseDirectory, _serverCopy);
        }
    }

    /// <summary>True when the tests run as root: the server then runs as nobody.</summary>
    public static bool AsRoot => Environment.IsPrivilegedProcess;

    /// <summary>A folder the server's user may write (its HOME).</summary>
    public string Home { get; }

    /// <summary>Makes folder (and the files in it) unwritable for the server's user.</summary>
    public void Lock(string folder)
    {
        var readOnlyFile = AsRoot ? (UnixFileMode)0b110_100_100 : (UnixFileMode)0b100_100_100;
        foreach (var file in Directory.EnumerateFiles(folder)) File.SetUnixFileMode(file, readOnlyFile);
        File.SetUnixFileMode(folder, AsRoot ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b101_101_101);
        _locked.Add(folder);
    }

    /// <summary>The process start of the server with args, as the unprivileged user.</summary>
    public ProcessStartInfo Wrap(ProcessStartInfo start)
    {
        start.WorkingDirectory = Home;
        if (!AsRoot) return start;
        var wrapped = new ProcessStartInfo("setpriv") { UseShellExecute = false, WorkingDirectory = Home };
        foreach (var a in Prefix(start.FileName, start.ArgumentList)) wrapped.ArgumentList.Add(a);
        foreach (var (k, v) in start.Environment) wrapped.Environment[k] = v;
        wrapped.Environment["HOME"] = Home;
        wrapped.Environment["DOTNET_CLI_HOME"] = Home;
        return wrapped;
    }

    /// <summary>An MCP client's stdio transport that starts the server with args as the unprivileged user.</summary>
    public StdioClientTransport Transport(string name, IEnumerable<string> args, Action<string> stderr)
    {
        var start = Wrap(ServerFixture.ServerStart(args));
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = name,
            Command = start.FileName,
            Arguments = [.. start.ArgumentList],
            WorkingDirectory = Home,
            EnvironmentVariables = AsRoot ? new Dictionary<string, string?> { ["HOME"] = Home, ["DOTNET_CLI_HOME"] = Home } : null,
            StandardErrorLines = stderr,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        });
    }

    private IEnumerable<string> Prefix(string command, IEnumerable<string> args)
    {
        string[] head = ["--reuid=" + Id, "--regid=" + Id, "--clear-groups", "--", command];
        return head.Concat(args.Select(a => _serverCopy is not null && a == ServerFixture.ServerDll ? Path.Combine(_serverCopy, Path.GetFileName(a)) : a));
    }

    private static bool ReadableByOthers(string file)
    {
        if ((File.GetUnixFileMode(file) & UnixFileMode.OtherRead) == 0) return false;
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(file)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0) return false;
        return true;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        File.SetUnixFileMode(to, (UnixFileMode)0b111_101_101);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from)) Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    /// <summary>Gives the locked folders their write permission back, so that they can be deleted.</summary>
    public void Dispose()
    {
        foreach (var folder in _locked.Where(Directory.Exists)) File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
    }
}
