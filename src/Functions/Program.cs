using Duraflow.Functions;
using Duraflow.Functions.Handler;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureDuraflowHost();
builder.Services.AddDuraflowHandler();
var app = builder.Build();
app.MapDuraflowEndpoints();
app.MapDuraflowFunctions();
app.Run();
