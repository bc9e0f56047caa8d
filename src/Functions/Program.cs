using Duraflow.Api;
using Duraflow.Api.Setup;
using Duraflow.Functions;
using Duraflow.Functions.Handler;

var builder = WebApplication.CreateBuilder(args);
builder.ListenWhereTheFunctionsHostForwards();
builder.Services.AddDuraflowApi(builder.Configuration, new ApiHosting(FunctionsHost.IsActive));
var app = builder.Build();
app.UseDuraflowApi();
app.MapDuraflowFunctions();
app.Run();
