using Duraflow.Functions;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureDuraflowHost();
var app = builder.Build();
app.MapDuraflowEndpoints();
app.Run();
