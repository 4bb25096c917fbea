/*{"INPUTS":[{"NAME":"n","TYPE":"long","DEFAULT":1e300}]}*/
void main() {}
