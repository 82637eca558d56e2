# The timer trigger template of Azure Functions Core Tools for the Python v2 model
# (Azure/azure-functions-templates, Templates-v2/TimerTrigger-Python), its two placeholders filled in.
# ruff: noqa
import logging
import azure.functions as func

app = func.FunctionApp()

@app.timer_trigger(schedule="*/2 * * * * *", arg_name="myTimer", run_on_startup=False,
              use_monitor=False) 
def timer_trigger(myTimer: func.TimerRequest) -> None:
    if myTimer.past_due:
        logging.info('The timer is past due!')

    logging.info('Python timer trigger function executed.')
