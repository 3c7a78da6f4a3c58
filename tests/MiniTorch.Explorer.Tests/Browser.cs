using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace MiniTorch.Explorer.Tests;

/// <summary>
/// Debian's headless Chromium driven by Debian's chromedriver (both from apt: <c>chromium chromium-driver</c>),
/// with a fresh profile, no background networking; screenshots go to TestResults/explorer-screenshots.
/// </summary>
public sealed class Browser : IDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium", DriverPath = "/usr/bin/chromedriver";
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "minitorch-explorer-chromium-" + Guid.NewGuid().ToString("N"));
    private readonly ChromeDriver _driver;
    private readonly string _baseUrl;

    /// <summary>Where screenshots are saved: $MINITORCH_ARTIFACTS/explorer-screenshots, or TestResults/ in the repository.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("MINITORCH_ARTIFACTS") is { Length: > 0 } a ? a : Path.Combine(RepositoryRoot(), "TestResults"),
        "explorer-screenshots");

    public Browser(string baseUrl)
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(DriverPath))
            throw new InvalidOperationException($"the browser tests need Debian's Chromium and ChromeDriver ({ChromiumPath}, {DriverPath}): apt-get install -y chromium chromium-driver");
        _baseUrl = baseUrl.TrimEnd('/');
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                             "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={_profile}", "--window-size=1400,2000");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>The driver, for what the helpers below do not cover.</summary>
    public IWebDriver Driver => _driver;

    /// <summary>Opens the page at <paramref name="query"/> ("?preset=000") and waits for its first answer.</summary>
    public void Open(string query)
    {
        _driver.Navigate().GoToUrl(_baseUrl + "/" + query);
        WaitForRender(0);
    }

    /// <summary>The number of answers the page has drawn (body[data-render]).</summary>
    public int Renders => int.Parse(_driver.FindElement(By.TagName("body")).GetDomAttribute("data-render") ?? "0");

    /// <summary>Waits until the page has drawn more than <paramref name="seen"/> answers.</summary>
    public void WaitForRender(int seen) =>
        new WebDriverWait(_driver, TimeSpan.FromSeconds(20)).Until(_ => Renders > seen);

    /// <summary>Replaces a form field's value as a learner would (select all, type) and waits for the new answer.</summary>
    public void Type(string id, string value)
    {
        int seen = Renders;
        var field = _driver.FindElement(By.Id(id));
        field.SendKeys(Keys.Control + "a");
        field.SendKeys(value);
        WaitForRender(seen);
    }

    /// <summary>The texts of the cells of a drawn map, in row-major order over its channels (one script call, not one per cell).</summary>
    public string[] Cells(string mapId) =>
        ((IReadOnlyCollection<object>)_driver.ExecuteScript(
            "return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent);", $"#{mapId} td.cell")!)
        .Select(o => (string)o).ToArray();

    /// <summary>An element's visible text.</summary>
    public string Text(string id) => _driver.FindElement(By.Id(id)).Text;

    /// <summary>Saves a full-window screenshot as <paramref name="name"/>.png and returns its path.</summary>
    public string Screenshot(string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        _driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        _driver.Quit();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MiniTorch.sln"))) return dir.FullName;
        return Path.GetTempPath();
    }
}
