using Duraflow.Functions.Api;
using Duraflow.Functions.Handler;
using Duraflow.Functions.Setup;
using Duraflow.Functions.Triggers;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureDuraflowHost();
builder.Services.AddDuraflowTriggers();
builder.Services.AddDuraflowHandler();
var app = builder.Build();
app.MapDuraflowEndpoints();
app.MapDuraflowFunctions();
app.MapDuraflowWebhook();
app.Run();
